import Synchronization

/// Collects the answers of `count` operations that complete on any thread, and hands them over,
/// in the operations' order, once the last one is in: one response for a request that started
/// several asynchronous changes. With `count` 0 it finishes at once.
final class Gather<Answer: Sendable>: Sendable {
    private let state: Mutex<(answers: [Answer?], left: Int)>
    private let finished: @Sendable ([Answer]) -> Void

    init(count: Int, _ finished: @escaping @Sendable ([Answer]) -> Void) {
        state = Mutex((Array(repeating: nil, count: count), count))
        self.finished = finished
        if count == 0 { finished([]) }
    }

    /// Records the answer of operation `index` (each exactly once).
    func set(_ index: Int, _ answer: Answer) {
        let complete = state.withLock { state -> [Answer]? in
            precondition(state.answers[index] == nil, "operation \(index) answered twice")
            state.answers[index] = answer
            state.left -= 1
            return state.left == 0 ? state.answers.compactMap { $0 } : nil
        }
        if let complete { finished(complete) }
    }
}
