# Right: a wrapper generator catches the return value with yield from; list() does the rest.
# Expected: 6
def drain(gen):
    box = []

    def wrapper():
        box.append((yield from gen))

    values = list(wrapper())
    return values, box[0]
