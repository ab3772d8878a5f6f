// Partition log.
