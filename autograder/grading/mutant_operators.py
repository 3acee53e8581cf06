"""Small, classic changes to an answer cell's code, each one a plausible mistake.

``mutations(source)`` reads the cell's AST and yields ``Mutation``s: the operator's name, the
line, a one-line description and the text edits that make the mutant. Edits change only the
mutated span of the cell's own text, so comments and layout stay and a mutant's diff against
the reference is the change and nothing else. ``apply(source, mutation)`` makes the mutant.

The classic operators: comparison and boundary flips, ``and``/``or``, a negated condition,
``+1``/``-1``, arithmetic, a changed constant, a removed ``await``/``yield from``/``with``/
``break``/``continue``, ``while`` <-> ``if`` around a wait, a dropped statement, swapped
arguments, an emptied ``finally:``, a ``return`` moved out of (or into) a loop, an ``except``
that catches everything. The asyncio ones: a lock or semaphore held across the next ``await``
(a slot held through a pause), ``gather`` <-> sequential awaits, results in completion order
(and ``as_completed`` dropped), a task that is never created, a timeout dropped, ``wait``'s
``return_when`` changed, ``notify_all`` <-> ``notify``, ``call_soon_threadsafe`` ->
``call_soon``, a thread hand-off (``to_thread``, ``run_in_executor``) made a blocking call.

A mutation may not compile, or may produce the same code as another one; the caller
(``autograder.grading.mutants``) drops those.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``start:end`` of the cell's text with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mutation:
    operator: str
    line: int  # 1-based, in the cell
    description: str
    edits: tuple[Edit, ...]


def apply(source: str, mutation: Mutation) -> str:
    for edit in sorted(mutation.edits, key=lambda e: (e.start, e.end), reverse=True):
        source = source[:edit.start] + edit.text + source[edit.end:]
    return source


class Text:
    """The cell's text with AST positions (lines from 1, UTF-8 byte columns) as offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1] if lineno <= len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode()[:col].decode(errors="ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source[start:end]

    def indent(self, node: ast.stmt) -> str:
        line = self.lines[node.lineno - 1]
        return line[:len(line) - len(line.lstrip())]

    def line_end(self, lineno: int) -> int:
        """Offset of the end of line ``lineno``, before its newline."""
        return self.starts[lineno - 1] + len(self.lines[lineno - 1].rstrip("\r\n"))

    def starts_line(self, node: ast.stmt) -> bool:
        """The statement is the first thing on its line (not after ``:`` or ``;``)."""
        line = self.lines[node.lineno - 1]
        return line[:self.offset(node.lineno, node.col_offset) - self.starts[node.lineno - 1]].strip() == ""


def short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


_ATOMS = (ast.Name, ast.Constant, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple,
          ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Walker:
    """Collects mutations; ``parent`` of every node is known."""

    def __init__(self, source: str) -> None:
        self.text = Text(source)
        self.tree = ast.parse(source)
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.found: list[Mutation] = []
        self.coroutine_functions = {n.name for n in ast.walk(self.tree) if isinstance(n, ast.AsyncFunctionDef)}

    # -- making edits ---------------------------------------------------------------------

    def replace_expr(self, operator: str, node: ast.expr, new: ast.expr | str, what: str = "") -> None:
        """Replace the expression ``node`` with ``new`` (a node, or code), in parentheses only
        where the code around it needs them."""
        code = new if isinstance(new, str) else ast.unparse(new)
        start, end = self.text.span(node)
        edit = Edit(start, end, code)
        wrapped = Edit(start, end, f"({code})")
        try:
            bare = ast.dump(ast.parse(apply(self.text.source, Mutation("", 0, "", (edit,)))))
            needed = bare != ast.dump(ast.parse(apply(self.text.source, Mutation("", 0, "", (wrapped,)))))
        except SyntaxError:
            needed = True
        description = what or f"{short(self.text.segment(node))} -> {short(code)}"
        self.found.append(Mutation(operator, node.lineno, description, (wrapped if needed else edit,)))

    def replace_stmt(self, operator: str, node: ast.stmt, lines: list[str], what: str) -> None:
        """Replace the statement ``node`` with ``lines`` of code at its indentation."""
        start, end = self.text.span(node)
        indent = self.text.indent(node) if self.text.starts_line(node) else ""
        code = ("\n" + indent).join(lines) if indent or self.text.starts_line(node) else "; ".join(lines)
        self.found.append(Mutation(operator, node.lineno, what, (Edit(start, end, code),)))

    def drop_stmt(self, operator: str, node: ast.stmt, what: str = "") -> None:
        self.replace_stmt(operator, node, ["pass"], what or f"dropped `{short(self.text.segment(node))}`")

    def is_docstring(self, node: ast.stmt) -> bool:
        parent = self.parent.get(node)
        return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and parent.body[0] is node)

    def inside_fstring(self, node: ast.AST) -> bool:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.JoinedStr):
                return True
        return False

    # -- the walk -------------------------------------------------------------------------

    def run(self) -> list[Mutation]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.expr) and self.inside_fstring(node):
                continue  # 3.11 gives no reliable positions inside f-strings
            for rule in RULES.get(type(node), ()):
                rule(self, node)
            for rule in STATEMENT_RULES if isinstance(node, ast.stmt) else ():
                rule(self, node)
        return self.found


# -- classic operators ---------------------------------------------------------------------

_FLIPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
          ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}


_WORDS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
          ast.Is: r"is", ast.IsNot: r"is\s+not", ast.In: r"in", ast.NotIn: r"not\s+in",
          ast.And: "and", ast.Or: "or"}


def swap_operator(w: _Walker, operator: str, left: ast.AST, right: ast.AST, old: type, new: type,
                  node: ast.AST) -> None:
    """Replace the operator between ``left`` and ``right``, and nothing else of the code."""
    start, end = w.text.span(left)[1], w.text.span(right)[0]
    gap = w.text.source[start:end]
    pattern = _WORDS.get(old) or re.escape(_SYMBOLS[old])
    pattern = rf"(?<![\w=<>!]){pattern}(?![\w=<>])"
    text = (_WORDS.get(new) or _SYMBOLS[new]).replace("\\s+", " ")
    if len(re.findall(pattern, gap)) == 1:
        w.found.append(Mutation(operator, node.lineno, f"{short(w.text.segment(node))}: "
                                f"`{re.search(pattern, gap).group()}` -> `{text}`",
                                (Edit(start, end, re.sub(pattern, text, gap)),)))


def comparison(w: _Walker, node: ast.Compare) -> None:
    operands = [node.left, *node.comparators]
    for i, op in enumerate(node.ops):
        if type(op) in _FLIPS:
            swap_operator(w, "comparison", operands[i], operands[i + 1], type(op), _FLIPS[type(op)], node)


def boolean(w: _Walker, node: ast.BoolOp) -> None:
    other = ast.Or if isinstance(node.op, ast.And) else ast.And
    for left, right in zip(node.values, node.values[1:]):
        swap_operator(w, "and-or", left, right, type(node.op), other, node)


def negation(w: _Walker, node: ast.UnaryOp) -> None:
    if isinstance(node.op, ast.Not):
        w.replace_expr("negation", node, w.text.segment(node.operand) if isinstance(node.operand, _ATOMS)
                       else f"({w.text.segment(node.operand)})")


def negate_condition(w: _Walker, node: ast.If | ast.While) -> None:
    test = node.test
    if not isinstance(test, (ast.Compare, ast.UnaryOp, ast.BoolOp, ast.Constant)):
        w.replace_expr("negation", test, f"not {w.text.segment(test)}")


_ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult}


def arithmetic(w: _Walker, node: ast.BinOp) -> None:
    if type(node.op) in _ARITHMETIC and not _is_string(node.left):
        swap_operator(w, "arithmetic", node.left, node.right, type(node.op), _ARITHMETIC[type(node.op)], node)


def augmented(w: _Walker, node: ast.AugAssign) -> None:
    if type(node.op) in _ARITHMETIC:
        start, end = w.text.span(node.target)[1], w.text.span(node.value)[0]
        between = w.text.source[start:end]
        symbol = _SYMBOLS[type(node.op)] + "="
        swapped = _SYMBOLS[_ARITHMETIC[type(node.op)]] + "="
        if between.count(symbol) == 1:
            w.found.append(Mutation("arithmetic", node.lineno, f"`{symbol}` -> `{swapped}` in "
                                    f"`{short(w.text.segment(node))}`",
                                    (Edit(start, end, between.replace(symbol, swapped)),)))


_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
            ast.Pow: "**"}


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, (ast.JoinedStr, ast.Constant)) and isinstance(getattr(node, "value", ""), (str, bytes))


def constant(w: _Walker, node: ast.Constant) -> None:
    value = node.value
    parent = w.parent.get(node)
    if isinstance(parent, ast.Expr):  # a docstring or a bare constant
        return
    if isinstance(value, bool):
        w.replace_expr("constant", node, repr(not value))
    elif isinstance(value, (int, float)) and not isinstance(parent, ast.UnaryOp):
        for new in (value + 1, value - 1):
            w.replace_expr("off-by-one", node, repr(new))
    elif isinstance(value, (str, bytes)) and value and not _error_message(w, node):
        w.replace_expr("constant", node, repr(value[:0]))


def _error_message(w: _Walker, node: ast.Constant) -> bool:
    """The message of ``raise SomeError("...")``: what it says is never graded."""
    call = w.parent.get(node)
    return isinstance(call, ast.Call) and isinstance(w.parent.get(call), ast.Raise) and call.args[:1] == [node]


def negative_constant(w: _Walker, node: ast.UnaryOp) -> None:
    if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) in (int, float):
        value = -node.operand.value
        for new in (value + 1, value - 1):
            w.replace_expr("off-by-one", node, repr(new))


def boundary(w: _Walker, node: ast.Call | ast.Slice) -> None:
    """``+1``/``-1`` on the bounds of ``range()`` and of slices (constants are done already)."""
    if isinstance(node, ast.Call):
        bounds = node.args if isinstance(node.func, ast.Name) and node.func.id == "range" else []
    else:
        bounds = [b for b in (node.lower, node.upper) if b is not None]
    for bound in bounds:
        if not isinstance(bound, (ast.Constant, ast.UnaryOp, ast.Starred)):
            for sign in "+-":
                w.replace_expr("off-by-one", bound, f"{w.text.segment(bound)} {sign} 1")


def remove_await(w: _Walker, node: ast.Await) -> None:
    w.replace_expr("await", node, w.text.segment(node.value), f"removed the await of {short(w.text.segment(node.value))}")


def yield_from(w: _Walker, node: ast.YieldFrom) -> None:
    inner = w.text.segment(node.value)
    w.replace_expr("yield-from", node, inner, f"removed `yield from` before {short(inner)}")
    statement = w.parent.get(node)
    if isinstance(statement, ast.Expr) and w.text.starts_line(statement):
        w.replace_stmt("yield-from-loop", statement, [f"for _item in {inner}:", f"    yield _item"],
                       f"`yield from {short(inner)}` -> a for loop that yields each item")


def unwrap_with(w: _Walker, node: ast.With | ast.AsyncWith) -> None:
    """The block runs without its context manager (a lock not taken, a timeout not set)."""
    if len(node.items) != 1 or not w.text.starts_line(node) or node.body[0].lineno == node.lineno:
        return
    item = node.items[0]
    indent = w.text.indent(node)
    body_indent = w.text.indent(node.body[0])
    lines = w.text.lines[node.body[0].lineno - 1:node.end_lineno]
    if not all(line.startswith(body_indent) or not line.strip() for line in lines):
        return  # a multi-line string at a lower indentation: leave it
    prefix = f"{w.text.segment(item.optional_vars)} = {w.text.segment(item.context_expr)}\n{indent}" \
        if item.optional_vars is not None else ""
    body = "".join(indent + line[len(body_indent):] if line.strip() else line for line in lines)
    start = w.text.offset(node.lineno, node.col_offset)
    end = w.text.line_end(node.end_lineno)
    keyword = "async with" if isinstance(node, ast.AsyncWith) else "with"
    w.found.append(Mutation("with", node.lineno, f"removed `{keyword} {short(w.text.segment(item.context_expr))}`"
                            " (the block runs without it)", (Edit(start, end, prefix + body.lstrip().rstrip("\r\n")),)))


def loop_control(w: _Walker, node: ast.Break | ast.Continue) -> None:
    w.drop_stmt("break" if isinstance(node, ast.Break) else "continue", node)


def _awaits(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Await) or (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                                            and n.func.attr in ("wait", "wait_for", "get", "acquire"))
               for n in ast.walk(node))


def while_if(w: _Walker, node: ast.While | ast.If) -> None:
    """``while`` -> ``if`` around a wait (waits once instead of until the condition holds), and
    back (waits again after the condition held)."""
    if not _awaits(ast.Module(node.body, [])) or node.orelse:
        return
    start = w.text.offset(node.lineno, node.col_offset)
    if isinstance(node, ast.While):
        w.found.append(Mutation("while-if", node.lineno, "`while` -> `if` around a wait",
                                (Edit(start, start + len("while"), "if"),)))
    elif w.text.source.startswith("if", start):  # not an elif
        w.found.append(Mutation("while-if", node.lineno, "`if` -> `while` around a wait",
                                (Edit(start, start + len("if"), "while"),)))


def drop_statement(w: _Walker, node: ast.stmt) -> None:
    """A statement that does something and leaves no name behind (a ``release()``, a
    ``cancel()``, a ``close()``, a ``notify()``, ``+= 1``, ``self.x = ...``, ``raise``, ...)."""
    parent = w.parent.get(node)
    body = _body_of(parent, node)
    if body is None or w.is_docstring(node):
        return
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return
    if isinstance(node, (ast.Expr, ast.AugAssign, ast.Raise, ast.Delete, ast.Assert)):
        w.drop_stmt("statement", node)
    elif isinstance(node, ast.Assign) and all(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets):
        w.drop_stmt("statement", node)
    elif isinstance(node, ast.Return) and node.value is not None:
        w.drop_stmt("statement", node)


def _body_of(parent: ast.AST | None, node: ast.stmt) -> list[ast.stmt] | None:
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and node in block:
            return block
    return None


_SYMMETRIC = {"max", "min"}


def swap_arguments(w: _Walker, node: ast.Call) -> None:
    args = node.args
    if isinstance(node.func, ast.Name) and node.func.id in _SYMMETRIC:
        return
    for a, b in zip(args, args[1:]):
        if isinstance(a, ast.Starred) or isinstance(b, ast.Starred):
            continue
        first, second = w.text.segment(a), w.text.segment(b)
        if first != second:
            start, _ = w.text.span(a)
            _, end = w.text.span(b)
            between = w.text.source[w.text.span(a)[1]:w.text.span(b)[0]]
            w.found.append(Mutation("swap-arguments", node.lineno,
                                    f"swapped {short(first, 25)} and {short(second, 25)} in {short(w.text.segment(node.func), 30)}(...)",
                                    (Edit(start, end, second + between + first),)))


def empty_finally(w: _Walker, node: ast.Try) -> None:
    if node.finalbody and not (len(node.finalbody) == 1 and isinstance(node.finalbody[0], ast.Pass)):
        first, last = node.finalbody[0], node.finalbody[-1]
        if not w.text.starts_line(first):
            return
        start = w.text.offset(first.lineno, first.col_offset)
        end = w.text.offset(last.end_lineno, last.end_col_offset)
        w.found.append(Mutation("finally", first.lineno, "emptied the `finally:` block", (Edit(start, end, "pass"),)))


_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def return_and_loop(w: _Walker, node: ast.Return) -> None:
    """A ``return`` in a loop moved after it, and a ``return`` right after a loop moved into it."""
    if not w.text.starts_line(node) or node.end_lineno != node.lineno:
        return
    code = w.text.segment(node)
    start, end = w.text.span(node)
    loop = w.parent.get(node)
    while loop is not None and not isinstance(loop, (*_LOOPS, ast.FunctionDef, ast.AsyncFunctionDef)):
        loop = w.parent.get(loop)
    if isinstance(loop, _LOOPS) and w.text.starts_line(loop):
        after = w.text.line_end(loop.end_lineno)
        w.found.append(Mutation("return-loop", node.lineno, f"`{short(code)}` moved out of its loop, after it",
                                (Edit(start, end, "pass"), Edit(after, after, "\n" + w.text.indent(loop) + code))))
    body = _body_of(w.parent.get(node), node)
    index = body.index(node) if body else 0
    if body and index > 0 and isinstance(body[index - 1], _LOOPS):
        before = body[index - 1]
        last = before.body[-1]
        if w.text.starts_line(last):
            at = w.text.line_end(last.end_lineno)
            w.found.append(Mutation("return-loop", node.lineno, f"`{short(code)}` moved into the loop before it",
                                    (Edit(at, at, "\n" + w.text.indent(last) + code), Edit(start, end, "pass"))))


def broad_except(w: _Walker, node: ast.ExceptHandler) -> None:
    if node.type is not None and not (isinstance(node.type, ast.Name) and node.type.id == "BaseException"):
        w.replace_expr("except", node.type, "BaseException",
                       f"`except {short(w.text.segment(node.type))}` -> `except BaseException`")


# -- asyncio operators ---------------------------------------------------------------------

def _call_name(node: ast.AST) -> str:
    """``asyncio.gather`` for ``asyncio.gather(...)``, ``.cancel`` for ``x.cancel()``."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) and func.value.id == "asyncio" else ""
        return f"{owner}.{func.attr}"
    return ""


def held_across_await(w: _Walker, node: ast.With | ast.AsyncWith) -> None:
    """A statement that awaits, right before or after a ``with`` block, moved into it: the
    lock, semaphore or slot is held through that pause."""
    body = _body_of(w.parent.get(node), node)
    if body is None or not w.text.starts_line(node):
        return
    index = body.index(node)
    inner_indent = w.text.indent(node.body[0]) if w.text.starts_line(node.body[0]) else None
    if inner_indent is None:
        return
    name = short(w.text.segment(node.items[0].context_expr), 30)
    neighbours = [(body[index - 1], "before")] if index > 0 else []
    neighbours += [(body[index + 1], "after")] if index + 1 < len(body) else []
    for other, where in neighbours:
        if not (_awaits(other) and w.text.starts_line(other) and other.lineno == other.end_lineno):
            continue
        if isinstance(other, (ast.Return, *_LOOPS, ast.If, ast.Try, ast.With, ast.AsyncWith)):
            continue
        code = w.text.segment(other)
        line_start = w.text.starts[other.lineno - 1]
        line_stop = w.text.starts[other.lineno] if other.lineno < len(w.text.lines) else len(w.text.source)
        if where == "before":
            at = w.text.offset(node.body[0].lineno, 0)
            edits = (Edit(line_start, line_stop, ""), Edit(at, at, inner_indent + code + "\n"))
        else:
            at = w.text.line_end(node.end_lineno)
            edits = (Edit(at, at, "\n" + inner_indent + code), Edit(line_start, line_stop, ""))
        w.found.append(Mutation("held-across-await", other.lineno,
                                f"`{short(code, 40)}` moved into `with {name}` (held across it)", edits))


def held_across_loop(w: _Walker, node: ast.With | ast.AsyncWith) -> None:
    """A ``with`` block in a loop's body taken around the whole loop: the lock, semaphore or
    slot is held across every iteration (a retry, a backoff) instead of one at a time."""
    loop = w.parent.get(node)
    if not (isinstance(loop, _LOOPS) and node in loop.body and not loop.orelse and len(node.items) == 1
            and node.items[0].optional_vars is None):
        return
    if not (w.text.starts_line(loop) and w.text.starts_line(node) and w.text.starts_line(node.body[0])):
        return
    indent = w.text.indent(loop)
    step = w.text.indent(node)[len(indent):]
    lines = w.text.lines[loop.lineno - 1:loop.end_lineno]
    if w.text.indent(node.body[0]) != w.text.indent(node) + step \
            or not all(line.startswith(indent) or not line.strip() for line in lines):
        return  # an unusual layout (a multi-line string, uneven indents): leave it
    header = range(node.lineno - loop.lineno, node.body[0].lineno - loop.lineno)
    inner = range(node.body[0].lineno - loop.lineno, node.end_lineno - loop.lineno + 1)
    moved = [line if i in inner or not line.strip() else step + line
             for i, line in enumerate(lines) if i not in header]
    keyword = "async with" if isinstance(node, ast.AsyncWith) else "with"
    context = w.text.segment(node.items[0].context_expr)
    text = f"{keyword} {context}:\n" + "".join(moved).rstrip("\r\n")
    start = w.text.offset(loop.lineno, loop.col_offset)
    w.found.append(Mutation("held-across-loop", node.lineno, f"`{keyword} {short(context, 30)}` taken around "
                            "the whole loop (held across every iteration)",
                            (Edit(start, w.text.line_end(loop.end_lineno), text),)))


def gather_calls(w: _Walker, node: ast.Call) -> None:
    """``await gather(...)`` -> awaits one after the other; -> results in completion order."""
    if _call_name(node) != "asyncio.gather" or node.keywords or not isinstance(w.parent.get(node), ast.Await):
        return
    awaited = w.parent[node]
    if len(node.args) == 1 and isinstance(node.args[0], ast.Starred):
        items = node.args[0].value
        if isinstance(items, ast.GeneratorExp):
            element = w.text.segment(items.elt)
            loops = w.text.source[w.text.span(items.elt)[1]:w.text.span(items)[1] - 1].strip()
            sequential = f"[await {element} {loops}]"
            every = f"[{element} {loops}]"
        else:
            sequential = f"[await _each for _each in {w.text.segment(items)}]"
            every = w.text.segment(items)
        w.replace_expr("gather-sequential", awaited, sequential, "gather -> one await after the other")
        w.replace_expr("completion-order", awaited, f"[await _next for _next in asyncio.as_completed({every})]",
                       "gather -> results in completion order")
    elif node.args and not any(isinstance(a, ast.Starred) for a in node.args):
        parts = [w.text.segment(a) for a in node.args]
        w.replace_expr("gather-sequential", awaited, "[" + ", ".join(f"await {p}" for p in parts) + "]",
                       "gather -> one await after the other")


def sequential_awaits(w: _Walker, node: ast.ListComp) -> None:
    """``[await f(x) for x in xs]`` -> ``gather``: all at once, where the statement wants one by one."""
    if isinstance(node.elt, ast.Await) and not any(g.is_async for g in node.generators):
        element = w.text.segment(node.elt.value)
        loops = w.text.source[w.text.span(node.elt)[1]:w.text.span(node)[1] - 1].strip()
        w.replace_expr("gather-sequential", node, f"list(await asyncio.gather(*({element} {loops})))",
                       "one await after the other -> gather (all at once)")


def as_completed(w: _Walker, node: ast.Call) -> None:
    if _call_name(node) == "asyncio.as_completed" and len(node.args) == 1:
        w.replace_expr("completion-order", node, w.text.segment(node.args[0]),
                       "as_completed dropped: input order instead of completion order")


_SCHEDULERS = {"asyncio.create_task", "asyncio.ensure_future", ".create_task", ".ensure_future"}


def not_a_task(w: _Walker, node: ast.Call) -> None:
    if _call_name(node) in _SCHEDULERS and len(node.args) == 1 and not node.keywords:
        w.replace_expr("task", node, w.text.segment(node.args[0]),
                       f"{short(w.text.segment(node.func))}(...) dropped: the coroutine is never made a task")


def inline_task(w: _Walker, node: ast.Expr) -> None:
    """A coroutine handed to a task (``create_task(c)``, or a helper of the cell that makes
    one) awaited right there instead: the caller waits for it, and holds its slot meanwhile."""
    call = node.value
    if not (isinstance(call, ast.Call) and len(call.args) == 1 and not call.keywords
            and isinstance(call.args[0], ast.Call) and w.text.starts_line(node)):
        return
    function = w.parent.get(node)
    while function is not None and not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        function = w.parent.get(function)
    inner = call.args[0].func
    inner_name = inner.attr if isinstance(inner, ast.Attribute) else getattr(inner, "id", "")
    spawns = _call_name(call) in _SCHEDULERS or inner_name in w.coroutine_functions
    if isinstance(function, ast.AsyncFunctionDef) and spawns:
        code = f"await {w.text.segment(call.args[0])}"
        w.replace_stmt("inline-task", node, [code], f"`{short(w.text.segment(node), 40)}` -> `{short(code, 40)}`"
                       " (awaited in place, not in a task of its own)")


def timeout_dropped(w: _Walker, node: ast.Call) -> None:
    if _call_name(node) == "asyncio.wait_for" and node.args:
        w.replace_expr("timeout", node, w.text.segment(node.args[0]), "wait_for dropped: no timeout")


def blocking_call(w: _Walker, node: ast.Call) -> None:
    """A thread hand-off made a direct, blocking call on the event loop."""
    name, args = _call_name(node), node.args
    if name == "asyncio.to_thread" and args and not node.keywords:
        func, rest = args[0], args[1:]
    elif name == ".run_in_executor" and len(args) >= 2:
        func, rest = args[1], args[2:]
    else:
        return
    call = f"{w.text.segment(func)}({', '.join(w.text.segment(a) for a in rest)})"
    awaited = w.parent.get(node)
    target = awaited if isinstance(awaited, ast.Await) else node
    w.replace_expr("blocking-call", target, call, f"{short(name.lstrip('.'))} dropped: `{short(call)}` blocks the loop")


_SWAPPED_NAMES = {"FIRST_COMPLETED": ("FIRST_EXCEPTION", "ALL_COMPLETED"),
                  "FIRST_EXCEPTION": ("FIRST_COMPLETED", "ALL_COMPLETED"),
                  "ALL_COMPLETED": ("FIRST_COMPLETED", "FIRST_EXCEPTION"),
                  "notify_all": ("notify",), "notify": ("notify_all",),
                  "call_soon_threadsafe": ("call_soon",)}


def swapped_name(w: _Walker, node: ast.Attribute) -> None:
    for other in _SWAPPED_NAMES.get(node.attr, ()):
        w.replace_expr("asyncio-name", node, f"{w.text.segment(node.value)}.{other}",
                       f".{node.attr} -> .{other}")


RULES = {
    ast.Compare: [comparison],
    ast.BoolOp: [boolean],
    ast.UnaryOp: [negation, negative_constant],
    ast.If: [negate_condition, while_if],
    ast.While: [negate_condition, while_if],
    ast.BinOp: [arithmetic],
    ast.AugAssign: [augmented],
    ast.Constant: [constant],
    ast.Call: [boundary, swap_arguments, gather_calls, as_completed, not_a_task, timeout_dropped, blocking_call],
    ast.Slice: [boundary],
    ast.Await: [remove_await],
    ast.YieldFrom: [yield_from],
    ast.With: [unwrap_with, held_across_await, held_across_loop],
    ast.AsyncWith: [unwrap_with, held_across_await, held_across_loop],
    ast.Break: [loop_control],
    ast.Continue: [loop_control],
    ast.Try: [empty_finally],
    ast.Return: [return_and_loop],
    ast.ExceptHandler: [broad_except],
    ast.ListComp: [sequential_awaits],
    ast.Attribute: [swapped_name],
    ast.Expr: [inline_task],
}
STATEMENT_RULES = [drop_statement]
if hasattr(ast, "TryStar"):
    RULES[ast.TryStar] = [empty_finally]


def mutations(source: str) -> Iterator[Mutation]:
    """Every mutation of the cell's code, in the order of the walk; may repeat or not compile."""
    yield from _Walker(source).run()
