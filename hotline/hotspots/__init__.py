"""Hotspots (每月一题, 未诉先办): recurring problems by place and kind, and proactive cases."""
