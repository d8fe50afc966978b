"""Phase 2 strategy content: the territorial areas' vocations, the consultation rounds on them, the priority vocations and the future development scenarios."""
