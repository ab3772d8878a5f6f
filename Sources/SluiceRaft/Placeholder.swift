// The Raft core lives here (issue 5).
