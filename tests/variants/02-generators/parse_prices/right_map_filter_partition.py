# Right: map and filter (lazy builtins) with str.partition; int() and float() ignore the spaces.
# Expected: 3
def _is_data(line):
    return bool(line) and not line.startswith("#")


def _pair(line):
    pid, _, price = line.partition(",")
    return int(pid), float(price)


def parse_prices(lines):
    return map(_pair, filter(_is_data, map(str.strip, lines)))
