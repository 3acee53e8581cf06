# Right: a generator with an assignment expression: one read per block, until b"".
# Expected: 2
def read_blocks(stream, size):
    while block := stream.read(size):
        yield block
