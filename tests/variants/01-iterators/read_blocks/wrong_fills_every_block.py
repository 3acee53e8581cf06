# Wrong: keeps reading until a block is full, so a short read is glued to the next one
# instead of coming out as the block read() returned.
# Expected: 1
def read_blocks(stream, size):
    while True:
        block = b""
        while len(block) < size:
            more = stream.read(size - len(block))
            if not more:
                break
            block += more
        if not block:
            return
        yield block
