"""The workshop what-if explorer: change assumptions live, see ROI, payouts and waves follow.

`WhatIf` is the model (one loaded engagement, recomputed on demand with
overrides; every output a pure function of the data and the assumptions, see
`what_if`); `build_explorer(engagement_dir)` returns the ipywidgets UI over it;
`save_scenario` writes a named scenario that `workbook run` reproduces.
"""

from workbook.errors import ScenarioError
from workbook.interactive.explorer import Explorer, build_explorer
from workbook.interactive.model import CONTROLS, WhatIf, WhatIfResults, what_if
from workbook.interactive.scenario import SavedScenario, save_scenario

__all__ = ["CONTROLS", "Explorer", "SavedScenario", "ScenarioError", "WhatIf", "WhatIfResults",
           "build_explorer", "save_scenario", "what_if"]
