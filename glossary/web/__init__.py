"""The Flask service: reader pages now, the API and editor pages later."""
