/// A min-heap of events ordered by (time, sequence): equal times run in the order they were
/// scheduled, so a run depends only on the seed, never on heap layout or hashing.
struct EventQueue<Event> {
    private var heap: [(time: Int, seq: Int, event: Event)] = []
    private var nextSeq = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func schedule(at time: Int, _ event: Event) {
        heap.append((time, nextSeq, event))
        nextSeq += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard precedes(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (time: Int, event: Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && precedes(heap[l], heap[m]) { m = l }
            if r < heap.count && precedes(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (top.time, top.event)
    }

    private func precedes(_ a: (time: Int, seq: Int, event: Event), _ b: (time: Int, seq: Int, event: Event)) -> Bool {
        a.time != b.time ? a.time < b.time : a.seq < b.seq
    }
}
