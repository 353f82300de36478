"""Selectors: reads that need more than a queryset (reads here, writes in ``services``)."""
