/// The Java client's default partitioner for keyed records, so Swift and Java producers (and
/// kafka-python, aiokafka) put the same key on the same partition.
public enum Partitioner {
    /// Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed 0x9747b28c, little-endian 4-byte blocks.
    public static func murmur2(_ data: [UInt8]) -> Int32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let base = i * 4
            var k = UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = length & ~3
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            h ^= UInt32(data[tail + 1]) << 8
            h ^= UInt32(data[tail])
            h = h &* m
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            h ^= UInt32(data[tail])
            h = h &* m
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// `toPositive(murmur2(key)) % partitionCount`, as `BuiltInPartitioner.partitionForKey`.
    public static func partition(forKey key: [UInt8], partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return (murmur2(key) & 0x7fff_ffff) % partitionCount
    }
}
