# Wrong: right pairs, but it reads every line into a list first: not lazy, and endless input never ends.
# Expected: 1
def parse_prices(lines):
    data = [line.strip() for line in lines]
    return [(int(pid), float(price)) for pid, price in
            (line.split(",") for line in data if line and not line.startswith("#"))]
