"""The SLA report: daily rollups kept by every ticket change, figures, PDF and CSV."""
