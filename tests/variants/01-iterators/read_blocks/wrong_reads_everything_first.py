# Wrong: reads the whole stream when called and slices it: not lazy, and not one read per block.
# Expected: 0
def read_blocks(stream, size):
    data = stream.read()
    return iter([data[i:i + size] for i in range(0, len(data), size)])
