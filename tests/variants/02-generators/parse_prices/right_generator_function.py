# Right: one generator function with a for loop, continue for comments, and tuple unpacking.
# Expected: 3
def parse_prices(lines):
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pid, price = line.split(",")
        yield int(pid), float(price)
