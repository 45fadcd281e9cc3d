"""The rule language: conditions compiled once into checks that explain themselves in words.

- `compiler`: the Compiler (combinators all/any/not, leaves) - start here;
- `operators` / `dates`: the leaf operators, one class each, in the registry `OPERATORS`;
- `leaf`: what an operator is (operand validation, evaluation, words);
- `quantifiers`: any_item / all_items / count, and the graph quantifiers' hook;
- `sets`: unique / group across a rule's subjects; `cost`: quadratic nestings rejected;
- `declared`: declared attribute types (operators and operands checked against them);
- `fields`: field paths checked against the models; `values`: operands and saturating dates;
- `patterns`: regular expressions (RE2, linear time); `words`: plain-language wording;
- `templates`: message placeholders; `outcome`: Fail, ConditionError and the check types.
"""

from nofakes.rules.compiler import Compiler
from nofakes.rules.fields import ScopeType, model_roots, step
from nofakes.rules.operators import OPERATORS
from nofakes.rules.outcome import Check, ConditionError, Fail, Outcome
from nofakes.rules.quantifiers import GRAPH_QUANTIFIERS, QUANTIFIERS
from nofakes.rules.sets import SET_CHECKS
from nofakes.rules.templates import check_template, render_template

LEAF_OPERATORS: tuple[str, ...] = tuple(OPERATORS)

__all__ = [
    "GRAPH_QUANTIFIERS", "LEAF_OPERATORS", "OPERATORS", "QUANTIFIERS", "Check", "Compiler", "ConditionError", "Fail",
    "Outcome", "SET_CHECKS", "ScopeType", "check_template", "model_roots", "render_template", "step",
]
