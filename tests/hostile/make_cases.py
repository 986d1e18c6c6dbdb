#!/usr/bin/env python3
"""Writes the hostile specs (cases/NAME.yaml) whose text is too large or too repetitive to write
by hand (deep nesting, alias bombs); the rest of cases/ is hand-written. Run once; the output is
committed. Each spec starts with `# exit: N`, optionally `# args: ...` (see run.sh)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text, exit_code, args=""):
    header = f"# exit: {exit_code}\n" + (f"# args: {args}\n" if args else "")
    with open(os.path.join(HERE, "cases", name + ".yaml"), "w") as f:
        f.write(header + text)


def bomb():
    """A flow list whose last item stands for 10**9 ones: each anchor is ten of the one before."""
    items = ["&a [" + ", ".join(["1"] * 10) + "]"]
    prev = "a"
    for name in "bcdefghi":
        items.append(f"&{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = name
    return "[" + ", ".join(items) + "]"


n = 100000
write("expr_parens_100000", 'output:\n  - "' + "(" * n + "1" + ")" * n + '"\n', 2)
write("expr_list_brackets_100000", 'output:\n  - "' + "[" * n + "1" + "]" * n + '"\n', 2)
write("expr_unary_minus_100000", 'output:\n  - "' + "-" * n + '1"\n', 2)
write("expr_not_chain_100000", 'output:\n  - "' + "not " * n + 'True"\n', 2)
write("expr_sum_chain_5000", 'output:\n  - "' + " + ".join(["1"] * 5000) + '"\n', 2)
write("expr_power_chain_5000", 'output:\n  - "' + " ** ".join(["1"] * 5000) + '"\n', 2)
write("expr_calls_nested_1000", 'output:\n  - "' + "sin(" * 1000 + "1.0" + ")" * 1000 + '"\n', 2)
write("expr_subscripts_5000", 'inputs:\n  x: [1.0]\noutput:\n  - "x' + "[0:1]" * 5000 + '"\n', 2)
write("expr_attributes_100000", 'output:\n  - "tf' + ".math" * n + '"\n', 2)
write("expr_compare_chain_5000", 'output:\n  - "' + " < ".join(["1"] * 5000) + '"\n', 2)
write("yaml_flow_seq_100000", "inputs:\n  x: " + "[" * n + "]" * n + "\n", 2)
write("yaml_flow_map_100000", "inputs:\n  x: " + "{a: " * n + "1" + "}" * n + "\n", 2)
write("yaml_block_seq_3000", "inputs:\n  x:\n" + "".join("  " * (i + 2) + "-\n" for i in range(3000)), 2)
write("yaml_literal_depth_65", "inputs:\n  x: " + "[" * 65 + "1" + "]" * 65 + "\n", 2)
write("yaml_literal_depth_64_ok", "inputs:\n  x: " + "[" * 64 + "1" + "]" * 64 + "\noperations:\n  - y = x + 1\n", 0)
write("bomb_inputs", "inputs:\n  x: " + bomb() + "\noutput: [x]\n", 2)
write("bomb_input_value", "inputs:\n  x: {value: " + bomb() + ", dtype: float64}\noutput: [x]\n", 2)
write("bomb_expect", "expect:\n  y: " + bomb() + "\noutput: [1]\n", 2)
write("bomb_operations", "operations: " + bomb() + "\n", 2)
write("bomb_output", "output: " + bomb() + "\n", 2)
write("bomb_derivatives", "derivatives: " + bomb() + "\n", 2)
write("bomb_watch", "tape: {watch: " + bomb() + "}\n", 2)
write("bomb_shape", "inputs:\n  x: {value: 1, shape: " + bomb() + "}\n", 2)
write("bomb_dtype", "inputs:\n  x: {value: 1, dtype: " + bomb() + "}\n", 2)
write("bomb_description", "description: " + bomb() + "\n", 2)
write("bomb_tolerance", "tolerance: {rtol: " + bomb() + "}\n", 2)
write("bomb_input_key", "inputs:\n  " + bomb() + ": 1\n", 2)
write("bomb_spec_key", bomb() + ": 1\n", 2)



def chain(levels):
    """Inputs a, b, ...: a holds ten ones, each next one ten of the one before."""
    lines = ["inputs:", "  a: &a [" + ", ".join(["1"] * 10) + "]"]
    names = "abcdefghi"
    for k in range(1, levels):
        lines.append(f"  {names[k]}: &{names[k]} [" + ", ".join([f"*{names[k - 1]}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# The literal node limit (1,000,000, lists counted) at its edge: inputs a..e are 123,455 nodes and
# load; adding f (1,111,111 nodes) goes over.
write("bomb_edge_1e5_loads", chain(5) + "output: []\n", 0)
write("bomb_edge_1e6_refused", chain(6) + "output: []\n", 2)
