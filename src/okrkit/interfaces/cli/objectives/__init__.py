"""`okrkit okr list|show|add|score|carry`: the objectives of the workspace and their key
results (`okr checkin` is `cli/check_ins.py`'s).

    reading.py          okr list, okr show
    writing.py          okr add (its options from the objective's declared fields), okr
                        score, okr carry
    key_result_line.py  a key result in one line: okr add's --kr
    views.py            the JSON and the tables of objectives and key results
"""

from okrkit.interfaces.cli.objectives.reading import okr_list, okr_show
from okrkit.interfaces.cli.objectives.writing import okr_add, okr_carry, okr_score

__all__ = [
    "key_result_line",
    "okr_add",
    "okr_carry",
    "okr_list",
    "okr_score",
    "okr_show",
    "reading",
    "views",
    "writing",
]
