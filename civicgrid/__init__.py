"""CivicGrid (创城网格管理平台)."""
