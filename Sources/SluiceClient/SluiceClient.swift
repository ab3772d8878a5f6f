// The Swift client library (issue 7).
