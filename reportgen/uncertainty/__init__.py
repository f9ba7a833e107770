"""How sure a report is: bootstrap intervals, rank bands and sensitivity to the rules."""
