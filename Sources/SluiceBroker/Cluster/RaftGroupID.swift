import SluiceCore

/// Which Raft group a message or an entry belongs to. A node runs one controller group (when it
/// is a voter or learner of the controller quorum) and one group per partition replica it holds;
/// all of them share one transport, so every message names its group.
public enum RaftGroupID: Hashable, Sendable, CustomStringConvertible {
    /// The controller quorum: cluster metadata and committed consumer offsets.
    case controller
    /// One partition's replicas.
    case partition(TopicPartition)

    /// `controller` or `topic-3`.
    public var description: String {
        switch self {
        case .controller: "controller"
        case .partition(let tp): tp.description
        }
    }
}
