#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSluiceLinux
import Synchronization

/// One accepted TCP connection serving length-prefixed frames.
///
/// Read side: bytes → int32 big-endian size → payload (size checked against `maxRequestBytes`
/// before any allocation, and the buffer grows only as bytes arrive) → the handler, on this thread.
/// Write side: responses are taken from the inbox strictly in request order and written with
/// `writev` (byte parts) and `sendfile` (file parts), resuming on EPOLLOUT after EAGAIN.
///
/// With TLS, a `TLSStream` sits between the socket and the framing: bytes read are fed to it and
/// the plaintext it yields is framed as above; responses are encrypted a piece at a time (file
/// parts read with `pread` first: no `sendfile`, since the kernel here has no TLS offload) and
/// the ciphertext written from `cipherOut`. No request is read before the handshake completes,
/// and a handshake not done within `tlsHandshakeTimeout` closes the connection.
///
/// Threading: everything except `inbox` is owned by `serverLoop.loop`'s thread (hence
/// `@unchecked Sendable`); `inbox` is a `Mutex` because response slots complete from any thread.
final class Connection: EventLoopChannel, EventLoopNotifiable, @unchecked Sendable {
    /// Completed responses not yet taken by the loop thread. Guarded by `inbox`'s lock.
    private struct Inbox {
        /// Set once when the connection closes; deliveries after that are dropped.
        var closed = false
        /// True while this connection sits in its loop's notify list (posted at most once).
        var scheduled = false
        /// Responses keyed by request sequence; at most `maxInflightRequests` entries.
        var completed: [UInt64: FrameResponse] = [:]
    }

    /// A queued piece of outbound bytes.
    private struct OutboundChunk {
        var part: OutboundPart
        /// The last chunk of a response: writing it finishes one in-flight request.
        var endsResponse: Bool
    }

    /// Bytes written per `flush` before yielding the loop to other connections.
    private static let flushBytesBudget = 4 << 20
    /// Reads per readiness event before yielding.
    private static let readsPerEventMax = 8
    /// Payload capacity reserved up front; larger frames grow as their bytes arrive.
    private static let payloadInitialReserveBytes = 64 << 10

    /// Who and where the client is; the TLS peer's subject is added once the handshake is done.
    private(set) var context: ConnectionContext
    private let inbox = Mutex(Inbox())
    private let serverLoop: ServerLoop  // strong: ServerLoop.connections drops us on close
    private let core: ServerCore

    // Owned by the loop thread.
    private let fd: Int32
    private var token: UInt64 = 0
    private(set) var isClosed = false
    private var interest: UInt32 = 0
    /// Monotonic time of the last byte read or written.
    private(set) var lastActivityNs: UInt64

    // Framing state. `payloadSize < 0` means the 4-byte size prefix is being read.
    private var sizePrefix: UInt32 = 0
    private var sizePrefixCount = 0
    private var payloadSize = -1
    private var payload: [UInt8] = []
    /// Bytes read but not yet framed because the in-flight window was full or the frame waits
    /// for request-byte room.
    private var backlog: [UInt8] = []
    /// When the first byte of the frame being read arrived; nil between frames.
    private(set) var frameStartedNs: UInt64?
    /// The frame whose size was read has no room in the server's request-byte budget yet.
    private(set) var isWaitingForRoom = false
    /// Bytes counted against the budget: the frame being read, then each dispatched request until
    /// its response finishes (in request order, as responses finish).
    private var readingReserved = 0
    private var dispatchedReserved: [Int] = []
    private var dispatchedReservedHead = 0

    // Request accounting. Invariant: nextResponseSequence <= nextRequestSequence, and
    // inflight == requests dispatched whose response is not yet fully written or skipped.
    private var nextRequestSequence: UInt64 = 0
    private var nextResponseSequence: UInt64 = 0
    private var inflight = 0
    /// No more requests are read (close requested by a response, or the server drains).
    private var readingStopped = false
    private var closeAfterFlush = false

    // Write queue: `outbound[outboundHead...]` pending, `outboundHeadOffset` bytes of the head sent.
    private var outbound: [OutboundChunk] = []
    private var outboundHead = 0
    private var outboundHeadOffset = 0

    /// Set once the owner says the peer authenticated (`FrameServer.liftFrameLimit`).
    private var frameLimitLifted = false

    /// The peer authenticated: frames may now be as large as `maxRequestBytes`.
    func liftFrameLimit() { frameLimitLifted = true }

    /// Reads nothing more and closes once every answer already queued is written.
    func closeWhenFlushed() {
        if isClosed { return }
        closeAfterFlush = true
        readingStopped = true
        flush()
    }

    // TLS: the session, its ciphertext waiting for the socket, and the handshake's deadline.
    private let tls: TLSStream?
    private var cipherOut: [UInt8] = []
    private var cipherOutOffset = 0
    private(set) var handshakeDeadlineNs: UInt64?
    /// Plaintext encrypted per step, so ciphertext waiting for a slow socket stays small.
    private static let tlsWriteChunkBytes = 64 << 10

    init(fd: Int32, context: ConnectionContext, serverLoop: ServerLoop, core: ServerCore, tls: TLSStream?) {
        self.fd = fd
        self.context = context
        self.serverLoop = serverLoop
        self.core = core
        self.tls = tls
        self.lastActivityNs = monotonicNanoseconds()
        if tls != nil {
            handshakeDeadlineNs = lastActivityNs &+ core.configuration.tlsHandshakeTimeout.nanosecondsClamped
        }
    }

    /// Registers with the loop for reading. On failure the descriptor is closed and false returned.
    func start() -> Bool {
        do throws(SystemError) {
            interest = EPOLLIN.rawValue
            token = try serverLoop.loop.register(fd: fd, events: interest, channel: self)
            return true
        } catch {
            isClosed = true
            inbox.withLock { $0.closed = true }
            _ = Glibc.close(fd)
            return false
        }
    }

    /// Requests dispatched whose handler has not completed them (or whose earlier ones have not).
    var awaitingHandler: Bool { nextResponseSequence != nextRequestSequence }

    // MARK: Cross-thread: slot completion

    /// True once the connection has closed (any thread).
    var isClosedForDelivery: Bool { inbox.withLock { $0.closed } }

    /// Stores a completed response and wakes the loop once (any thread). Dropped after close.
    func deliver(sequence: UInt64, response: FrameResponse) {
        let wake = inbox.withLock { box -> Bool in
            if box.closed { return false }
            box.completed[sequence] = response
            if box.scheduled { return false }
            box.scheduled = true
            return true
        }
        if wake { serverLoop.loop.notify(self) }
    }

    // MARK: Loop thread: events

    func loopDidNotify() {
        if isClosed { return }
        let ready = inbox.withLock { box -> [FrameResponse] in
            box.scheduled = false
            var ready: [FrameResponse] = []
            while let response = box.completed.removeValue(forKey: nextResponseSequence) {
                ready.append(response)
                nextResponseSequence += 1
            }
            return ready
        }
        for response in ready {
            if closeAfterFlush { break }
            switch response {
            case .noResponse:
                responseFinished()
            case .parts(let parts):
                guard enqueue(parts) else {
                    close()
                    return
                }
            case .closeConnection:
                closeAfterFlush = true
                readingStopped = true
            case .lastParts(let parts):
                guard enqueue(parts) else {
                    close()
                    return
                }
                closeAfterFlush = true
                readingStopped = true
            }
        }
        flush()
    }

    func handleEvents(_ events: UInt32) {
        if isClosed { return }
        if events & EPOLLOUT.rawValue != 0 {
            flush()
            if isClosed { return }
        }
        if events & EPOLLIN.rawValue != 0 {
            readable()
            if isClosed { return }
        }
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            // Reading is paused (else `readable` would have seen EOF or the error): the peer is gone.
            close()
        }
    }

    func loopWillClose() {
        close()
    }

    /// Server drain: read no more requests; those in flight still get their responses.
    func stopReading() {
        if isClosed { return }
        readingStopped = true
        updateInterest()
    }

    // MARK: Read side

    /// A frame is under way and the server is reading this socket (not held back by its own
    /// in-flight window or the request budget): only then can the sender be too slow.
    var isReadingAFrame: Bool { frameStartedNs != nil && wantsRead }

    /// With TLS, also not while ciphertext waits for the socket: a peer that does not read must
    /// not make the session queue answers (key updates, alerts) without bound.
    private var wantsRead: Bool {
        !readingStopped && !isWaitingForRoom && inflight < core.configuration.maxInflightRequestsPerConnection && backlog.isEmpty
            && !cipherPending && !(tls?.hasOutput ?? false)
    }

    private func readable() {
        let scratch = serverLoop.readBuffer
        for _ in 0..<Self.readsPerEventMax {
            guard wantsRead else { break }
            let count: Int
            do throws(SystemError) {
                guard let read = try retryingInterruptsUnlessWouldBlock("read", { Glibc.read(fd, scratch.baseAddress, scratch.count) }) else {
                    break
                }
                count = read
            } catch {
                close()  // ECONNRESET and friends
                return
            }
            if count == 0 {
                close()  // EOF: the peer closed
                return
            }
            lastActivityNs = monotonicNanoseconds()
            if let tls {
                guard tls.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) else {
                    close()
                    return
                }
                decrypt(tls)
            } else {
                consume(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            }
            if isClosed { return }
            if count < scratch.count { break }
        }
        updateInterest()
    }

    /// Takes every byte of plaintext the session can give (advancing the handshake first), frames
    /// it, and sends what the session has to say (handshake messages, tickets, alerts).
    private func decrypt(_ tls: TLSStream) {
        let scratch = serverLoop.plaintextBuffer
        decrypting: while !isClosed {
            let outcome = tls.read(into: scratch)
            // The read that finishes the handshake may already return requests (TLS 1.3 clients
            // send them with their Finished): they must carry the verified peer.
            if tls.isEstablished && handshakeDeadlineNs != nil {
                handshakeDeadlineNs = nil
                context.tlsPeerSubject = tls.peerSubject
            }
            switch outcome {
            case .bytes(let count):
                takePlaintext(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            case .needsInput:
                break decrypting
            case .closed:
                closeAfterFlush = true
                readingStopped = true
                break decrypting
            case .failed:
                core.tlsFailures.add(1, ordering: .relaxed)
                tls.takeOutput(into: &cipherOut)  // the alert, sent best-effort
                writeCiphertext(budget: Self.tlsWriteChunkBytes)
                close()
                return
            }
        }
        if isClosed { return }
        if tls.hasOutput || closeAfterFlush { flush() }
    }

    /// Frames plaintext now, or keeps it behind what is already held back (a full in-flight
    /// window, a frame waiting for budget), so bytes are framed in the order they came.
    private func takePlaintext(_ bytes: UnsafeRawBufferPointer) {
        if readingStopped { return }
        if backlog.isEmpty && !isWaitingForRoom {
            consume(bytes)
        } else {
            backlog.append(contentsOf: bytes)
        }
    }

    /// Frames `bytes`, dispatching each whole frame; keeps what cannot be framed now in `backlog`.
    private func consume(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let configuration = core.configuration
        while index < bytes.count {
            if isClosed { return }
            if readingStopped { return }  // a close is pending: the rest is never answered
            if inflight >= core.configuration.maxInflightRequestsPerConnection || isWaitingForRoom {
                backlog.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
                return
            }
            if payloadSize < 0 {
                if frameStartedNs == nil { frameStartedNs = lastActivityNs }
                while sizePrefixCount < 4 && index < bytes.count {
                    sizePrefix = sizePrefix << 8 | UInt32(bytes[index])
                    sizePrefixCount += 1
                    index += 1
                }
                if sizePrefixCount < 4 { return }
                let size = Int32(bitPattern: sizePrefix)
                sizePrefix = 0
                sizePrefixCount = 0
                // Per frame: one read may carry the last handshake frame and the first large one.
                var limit = nextRequestSequence < configuration.handshakeFrames ? configuration.handshakeFrameBytesMax : configuration.maxRequestBytes
                if !frameLimitLifted, let unauthenticated = configuration.unauthenticatedFrameBytesMax { limit = min(limit, unauthenticated) }
                // Checked before anything is allocated: a lying size costs nothing.
                guard size >= 0, Int(size) <= limit else {
                    close()
                    return
                }
                if size == 0 {
                    dispatch([])
                    continue
                }
                payloadSize = Int(size)
                payload = []
                guard core.reserve(payloadSize) else {
                    // No room: hold the rest unread until the sweep finds room (`retryWaitingFrame`).
                    isWaitingForRoom = true
                    frameStartedNs = nil
                    backlog.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
                    return
                }
                readingReserved = payloadSize
                payload.reserveCapacity(min(payloadSize, Self.payloadInitialReserveBytes))
            } else {
                let take = min(payloadSize - payload.count, bytes.count - index)
                let needed = payload.count + take
                if payload.capacity < needed {
                    payload.reserveCapacity(min(payloadSize, max(needed, payload.capacity * 2)))
                }
                payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                if payload.count == payloadSize {
                    let frame = payload
                    payload = []
                    payloadSize = -1
                    dispatch(frame)
                }
            }
        }
    }

    private func dispatch(_ frame: [UInt8]) {
        frameStartedNs = nil
        dispatchedReserved.append(readingReserved)
        readingReserved = 0
        let sequence = nextRequestSequence
        nextRequestSequence += 1
        inflight += 1
        core.inflightTotal.add(1, ordering: .relaxed)
        let slot = ResponseSlot(connection: self, sequence: sequence)
        core.handler(context, frame, slot)
    }

    /// The sweep's retry of a frame that had no room: reserve it now if it fits, then go on
    /// framing what was held back and reading.
    func retryWaitingFrame() {
        guard isWaitingForRoom, !isClosed, core.reserve(payloadSize) else { return }
        isWaitingForRoom = false
        readingReserved = payloadSize
        frameStartedNs = monotonicNanoseconds()
        payload.reserveCapacity(min(payloadSize, Self.payloadInitialReserveBytes))
        resumeReadingIfPossible()
        updateInterest()
    }

    /// After responses finish: frame what was held back, then read again if the window allows.
    private func resumeReadingIfPossible() {
        guard !backlog.isEmpty, !readingStopped, !isWaitingForRoom,
              inflight < core.configuration.maxInflightRequestsPerConnection else { return }
        // The time the server held this socket unread is not the sender's slowness.
        if frameStartedNs != nil { frameStartedNs = monotonicNanoseconds() }
        let held = backlog
        backlog = []
        held.withUnsafeBytes { consume($0) }
    }

    // MARK: Write side

    /// Queues a response frame: the size prefix, then the non-empty parts. False: too large for
    /// an int32 size prefix.
    private func enqueue(_ parts: [OutboundPart]) -> Bool {
        var total = 0
        for part in parts {
            let (sum, overflow) = total.addingReportingOverflow(part.byteCount)
            guard !overflow, sum <= Int(Int32.max) else { return false }
            total = sum
        }
        let size = UInt32(total)
        let prefix: [UInt8] = [UInt8(truncatingIfNeeded: size >> 24), UInt8(truncatingIfNeeded: size >> 16),
                               UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size)]
        outbound.append(OutboundChunk(part: .bytes(prefix), endsResponse: false))
        for part in parts where part.byteCount > 0 {
            outbound.append(OutboundChunk(part: part, endsResponse: false))
        }
        outbound[outbound.count - 1].endsResponse = true
        return true
    }

    private var outboundPending: Bool { outboundHead < outbound.count }

    /// Writes queued chunks until done, EAGAIN, or the budget is spent; then fixes interest,
    /// resumes reading and honours a pending close.
    private func flush() {
        if let tls {
            flushEncrypted(tls)
            return
        }
        var budget = Self.flushBytesBudget
        while outboundPending && budget > 0 {
            let written: Int?
            do throws(SystemError) {
                switch outbound[outboundHead].part {
                case .file(let region):
                    written = try sendFile(region, budget: budget)
                case .bytes:
                    written = try gatherWrite()
                }
            } catch {
                close()  // EPIPE, ECONNRESET, EIO from the file, …
                return
            }
            guard let written else { break }  // EAGAIN: EPOLLOUT resumes us
            if written == 0 {
                close()  // sendfile hit end of file: the region promised bytes the file lacks
                return
            }
            lastActivityNs = monotonicNanoseconds()
            advance(by: written)
            budget -= written
        }
        finishFlush()
    }

    /// After writing: honours a pending close once everything is out, resumes reading, fixes interest.
    private func finishFlush() {
        if closeAfterFlush && !outboundPending && !cipherPending {
            close()
            return
        }
        resumeReadingIfPossible()
        if isClosed { return }
        updateInterest()
    }

    private var cipherPending: Bool { cipherOutOffset < cipherOut.count }

    /// The TLS write side: sends waiting ciphertext, then encrypts the next piece of the queue,
    /// until done, EAGAIN, or the budget is spent.
    private func flushEncrypted(_ tls: TLSStream) {
        var budget = Self.flushBytesBudget
        while budget > 0 && !isClosed {
            if cipherPending {
                guard let written = writeCiphertext(budget: budget) else { break }
                budget -= written
                continue
            }
            if tls.hasOutput {
                tls.takeOutput(into: &cipherOut)
                continue
            }
            guard tls.isEstablished, outboundPending else { break }
            guard let taken = encryptHead(tls) else {
                close()
                return
            }
            advance(by: taken)
        }
        if isClosed { return }
        if closeAfterFlush && !outboundPending && !cipherPending && !tls.hasOutput {
            // A clean end: close_notify first, best-effort.
            tls.shutdown()
            tls.takeOutput(into: &cipherOut)
            writeCiphertext(budget: Self.tlsWriteChunkBytes)
        }
        finishFlush()
    }

    /// Writes waiting ciphertext; returns the bytes written, nil on EAGAIN (or after closing on an error).
    @discardableResult
    private func writeCiphertext(budget: Int) -> Int? {
        guard cipherPending else { return 0 }
        let outcome: Result<Int?, SystemError> = cipherOut.withUnsafeBytes { raw in
            let count = min(raw.count - cipherOutOffset, max(budget, 1))
            return Result { () throws(SystemError) -> Int? in
                try retryingInterruptsUnlessWouldBlock("write") { Glibc.write(fd, raw.baseAddress! + cipherOutOffset, count) }
            }
        }
        guard case .success(let written) = outcome else {
            close()
            return nil
        }
        guard let written else { return nil }
        lastActivityNs = monotonicNanoseconds()
        cipherOutOffset += written
        if cipherOutOffset == cipherOut.count {
            cipherOut.removeAll(keepingCapacity: cipherOut.capacity <= Self.tlsWriteChunkBytes * 2)
            cipherOutOffset = 0
        }
        return written
    }

    /// Encrypts up to `tlsWriteChunkBytes` from the head chunk; returns the plaintext bytes taken.
    private func encryptHead(_ tls: TLSStream) -> Int? {
        switch outbound[outboundHead].part {
        case .bytes(let array):
            let end = min(array.count, outboundHeadOffset + Self.tlsWriteChunkBytes)
            let taken = array.withUnsafeBytes { raw in tls.write(UnsafeRawBufferPointer(rebasing: raw[outboundHeadOffset..<end])) }
            tls.takeOutput(into: &cipherOut)
            return taken
        case .file(let region):
            let scratch = serverLoop.plaintextBuffer
            let count = min(region.length - outboundHeadOffset, Self.tlsWriteChunkBytes, scratch.count)
            let position = off_t(region.offset + Int64(outboundHeadOffset))
            let read: Int
            do throws(SystemError) {
                read = try retryingInterrupts("pread") { pread(region.descriptor.rawValue, scratch.baseAddress, count, position) }
            } catch {
                return nil
            }
            guard read > 0 else { return nil }  // the region promised bytes the file lacks
            let taken = tls.write(UnsafeRawBufferPointer(rebasing: scratch[0..<read]))
            tls.takeOutput(into: &cipherOut)
            return taken
        }
    }

    private func sendFile(_ region: FileRegion, budget: Int) throws(SystemError) -> Int? {
        var offset = off_t(region.offset + Int64(outboundHeadOffset))
        let count = min(region.length - outboundHeadOffset, max(budget, 1))
        return try retryingInterruptsUnlessWouldBlock("sendfile") {
            sendfile(fd, region.descriptor.rawValue, &offset, count)
        }
    }

    /// One `writev` over the run of byte chunks at the head of the queue (up to `iovecsMax`),
    /// possibly spanning several responses. The arrays are pinned by nested `withUnsafeBytes`.
    private func gatherWrite() throws(SystemError) -> Int? {
        let iovecs = serverLoop.iovecs
        var count = 0
        while count < ServerLoop.iovecsMax, outboundHead + count < outbound.count,
              case .bytes = outbound[outboundHead + count].part {
            count += 1
        }
        func pin(_ k: Int) -> Result<Int?, SystemError> {
            if k == count {
                do throws(SystemError) {
                    return .success(try retryingInterruptsUnlessWouldBlock("writev") { writev(fd, iovecs, Int32(count)) })
                } catch {
                    return .failure(error)
                }
            }
            guard case .bytes(let array) = outbound[outboundHead + k].part else {
                preconditionFailure("gatherWrite over a file chunk")
            }
            return array.withUnsafeBytes { raw in
                let skip = k == 0 ? outboundHeadOffset : 0
                guard let base = raw.baseAddress else { preconditionFailure("empty outbound chunk queued") }
                iovecs[k] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + skip), iov_len: raw.count - skip)
                return pin(k + 1)
            }
        }
        return try pin(0).get()
    }

    /// Marks `count` bytes from the head of the queue as written.
    private func advance(by count: Int) {
        var left = count
        while left > 0 {
            let remaining = outbound[outboundHead].part.byteCount - outboundHeadOffset
            if left < remaining {
                outboundHeadOffset += left
                return
            }
            left -= remaining
            let endsResponse = outbound[outboundHead].endsResponse
            outbound[outboundHead].part = .bytes([])  // release the bytes or file now
            outboundHead += 1
            outboundHeadOffset = 0
            if endsResponse { responseFinished() }
        }
        if outboundHead == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundHead = 0
        } else if outboundHead >= 64 && outboundHead * 2 >= outbound.count {
            outbound.removeFirst(outboundHead)
            outboundHead = 0
        }
    }

    private func responseFinished() {
        precondition(inflight > 0, "response finished with nothing in flight")
        inflight -= 1
        core.requestsFinished(1)
        releaseOldestDispatched()
    }

    private func releaseOldestDispatched() {
        guard dispatchedReservedHead < dispatchedReserved.count else { return }
        let bytes = dispatchedReserved[dispatchedReservedHead]
        dispatchedReservedHead += 1
        if dispatchedReservedHead == dispatchedReserved.count {
            dispatchedReserved.removeAll(keepingCapacity: true)
            dispatchedReservedHead = 0
        } else if dispatchedReservedHead > 1024 && dispatchedReservedHead * 2 > dispatchedReserved.count {
            // A connection that always has requests in flight never empties the queue: compact it.
            dispatchedReserved.removeFirst(dispatchedReservedHead)
            dispatchedReservedHead = 0
        }
        if bytes > 0 { core.release(bytes) }
    }

    private func updateInterest() {
        if isClosed { return }
        var wanted: UInt32 = 0
        if wantsRead { wanted |= EPOLLIN.rawValue }
        if outboundPending || cipherPending { wanted |= EPOLLOUT.rawValue }
        if wanted == interest { return }
        do throws(SystemError) {
            try serverLoop.loop.modify(fd: fd, token: token, events: wanted)
            interest = wanted
        } catch {
            close()
        }
    }

    // MARK: Close

    /// Closes the socket, drops queued and future responses, releases the limits. Idempotent.
    func close() {
        if isClosed { return }
        isClosed = true
        let dropped = inbox.withLock { box -> [UInt64: FrameResponse] in
            box.closed = true
            let dropped = box.completed
            box.completed = [:]
            return dropped
        }
        _ = dropped  // released here, outside the lock
        serverLoop.loop.deregister(fd: fd, token: token)
        _ = Glibc.close(fd)
        outbound = []
        outboundHead = 0
        cipherOut = []
        cipherOutOffset = 0
        backlog = []
        payload = []
        let held = readingReserved + dispatchedReserved[dispatchedReservedHead...].reduce(0, +)
        readingReserved = 0
        dispatchedReserved = []
        dispatchedReservedHead = 0
        if held > 0 { core.release(held) }
        core.requestsFinished(inflight)
        inflight = 0
        serverLoop.connectionClosed(self)
    }
}
