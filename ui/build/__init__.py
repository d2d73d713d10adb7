"""The Build program page's parts: its session state, what it keeps between reruns (cache), and one module per
step (patient, start, exercises, fields, plan, output) with the drafts and the save-as-template popover."""
