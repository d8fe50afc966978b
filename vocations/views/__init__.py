"""The views of the vocations: ``public`` (no sign-in: vocations, a vocation's results, scenarios, open data),
``answer`` (mayors, offices and stakeholders answer a round) and ``manage`` (the PSM team)."""
