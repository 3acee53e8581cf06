# Wrong: keeps only prices that look like digits (the isdigit trick), so 1e3 and -1 vanish.
# Expected: 2
def parse_prices(lines):
    stripped = (line.strip() for line in lines)
    data = (line for line in stripped if line and not line.startswith("#"))
    pairs = (line.split(",") for line in data)
    return ((int(pid), float(price)) for pid, price in pairs
            if price.strip().replace(".", "").isdigit())
