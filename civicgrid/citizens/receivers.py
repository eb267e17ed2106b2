"""The reporter hears of their case: acknowledgement, dispatch, closure (with the satisfaction question)."""
