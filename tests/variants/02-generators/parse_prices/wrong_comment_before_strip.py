# Wrong: looks for "#" before stripping, so an indented comment is parsed as data (ValueError).
# Expected: 1
def parse_prices(lines):
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        pid, price = line.split(",")
        yield int(pid), float(price)
