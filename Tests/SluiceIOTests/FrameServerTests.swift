#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization
import XCTest
@testable import SluiceIO

/// A real `FrameServer` on 127.0.0.1 driven by blocking client sockets.
final class FrameServerTests: XCTestCase {
    private func makeServer(_ configure: (inout FrameServer.Configuration) -> Void = { _ in },
                            onClose: ConnectionClosedHandler? = nil,
                            handler: @escaping FrameHandler) throws -> FrameServer {
        var configuration = FrameServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configure(&configuration)
        let server = try FrameServer(configuration: configuration, handler: handler, onConnectionClosed: onClose)
        XCTAssertNotEqual(server.port, 0)
        return server
    }

    private static let echo: FrameHandler = { _, payload, slot in slot.complete(.bytes(payload)) }

    // MARK: Framing

    func testEchoFramesOfManySizes() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        var random = SystemRandomNumberGenerator()
        for size in [0, 1, 3, 4, 5, 100, 65_535, 65_536, 300_000, 2_000_000] {
            let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            try client.sendFrame(payload)
            XCTAssertEqual(try client.readFrame(), payload, "size \(size)")
        }
    }

    func testFrameSplitAcrossManyWritesAndManyFramesInOneWrite() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        // One frame dribbled a byte at a time.
        let frame = TestClient.frame(Array("hello, sluice".utf8))
        for byte in frame {
            try client.send([byte])
            usleep(200)
        }
        XCTAssertEqual(try client.readFrame(), Array("hello, sluice".utf8))
        // Fifty frames in a single write.
        let batch = (0..<50).flatMap { TestClient.frame(bytes(of: UInt32($0))) }
        try client.send(batch)
        for index in 0..<50 {
            XCTAssertEqual(uint32(try client.readFrame()), UInt32(index))
        }
    }

    func testHandlerSeesConnectionContext() throws {
        let seen = Mutex<[ConnectionContext]>([])
        let server = try makeServer { context, payload, slot in
            seen.withLock { $0.append(context) }
            slot.complete(.bytes(payload))
        }
        defer { server.shutdown() }
        let first = try TestClient(port: server.port)
        let second = try TestClient(port: server.port)
        try first.sendFrame([1])
        try second.sendFrame([2])
        _ = try first.readFrame()
        _ = try second.readFrame()
        let contexts = seen.withLock { $0 }
        XCTAssertEqual(contexts.count, 2)
        XCTAssertNotEqual(contexts[0].id, contexts[1].id)
        XCTAssertEqual(contexts[0].peer.host, "127.0.0.1")
        XCTAssertNotEqual(contexts[0].peer.port, 0)
    }

    // MARK: Pipelining and ordering

    func testPipelinedResponsesArriveInRequestOrder() throws {
        let outstanding = Atomic<Int>(0)
        let outstandingMax = Atomic<Int>(0)
        let server = try makeServer({ $0.maxInflightRequestsPerConnection = 100 }) { _, payload, slot in
            let now = outstanding.add(1, ordering: .relaxed).newValue
            outstandingMax.max(now, ordering: .relaxed)
            let delay = Int.random(in: 0...3_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .microseconds(delay)) {
                outstanding.subtract(1, ordering: .relaxed)
                slot.complete(.bytes(payload))
            }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        let requests = 200
        try client.send((0..<requests).flatMap { TestClient.frame(bytes(of: UInt32($0))) })
        for index in 0..<requests {
            XCTAssertEqual(uint32(try client.readFrame()), UInt32(index))
        }
        let peak = outstandingMax.load(ordering: .relaxed)
        XCTAssertGreaterThan(peak, 1, "requests were not pipelined")
        XCTAssertLessThanOrEqual(peak, 100, "the in-flight bound was not enforced")
    }

    func testInflightWindowStopsReadingUntilResponsesGoOut() throws {
        let held = Mutex<[ResponseSlot]>([])
        let server = try makeServer({ $0.maxInflightRequestsPerConnection = 100 }) { _, _, slot in
            held.withLock { $0.append(slot) }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.send((0..<150).flatMap { TestClient.frame(bytes(of: UInt32($0))) })
        XCTAssertTrue(eventually { held.withLock { $0.count } == 100 })
        usleep(100_000)
        XCTAssertEqual(held.withLock { $0.count }, 100, "read past the in-flight window")
        XCTAssertEqual(server.inflightRequestCount, 100)
        // Answer the first 30: exactly 30 more requests are let in.
        let first = held.withLock { Array($0[0..<30]) }
        for slot in first { slot.complete(.bytes([1])) }
        for _ in 0..<30 { XCTAssertEqual(try client.readFrame(), [1]) }
        XCTAssertTrue(eventually { held.withLock { $0.count } == 130 })
        usleep(50_000)
        XCTAssertEqual(held.withLock { $0.count }, 130)
        for slot in held.withLock({ Array($0[30...]) }) { slot.complete(.noResponse) }
        XCTAssertTrue(eventually { held.withLock { $0.count } == 150 })
        for slot in held.withLock({ Array($0[130...]) }) { slot.complete(.bytes([2])) }
        for _ in 0..<20 { XCTAssertEqual(try client.readFrame(), [2]) }
        XCTAssertTrue(eventually { server.inflightRequestCount == 0 })
    }

    func testNoResponseSlotsAreSkippedWithoutBlockingLaterOnes() throws {
        // Odd requests are acks=0 style: no response. Slots complete in reverse order.
        let slots = Mutex<[(UInt32, ResponseSlot)]>([])
        let server = try makeServer { _, payload, slot in
            slots.withLock { $0.append((uint32(payload), slot)) }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.send((0..<10).flatMap { TestClient.frame(bytes(of: UInt32($0))) })
        XCTAssertTrue(eventually { slots.withLock { $0.count } == 10 })
        let held = slots.withLock { $0 }
        DispatchQueue.global().async {
            for (number, slot) in held.reversed() {
                slot.complete(number % 2 == 1 ? .noResponse : .bytes(bytes(of: number)))
            }
        }
        for number in stride(from: 0, to: 10, by: 2) {
            XCTAssertEqual(uint32(try client.readFrame()), UInt32(number))
        }
        // A trailing noResponse must not hold back the next request's response.
        try client.sendFrame(bytes(of: 11))
        try client.sendFrame(bytes(of: 12))
        XCTAssertTrue(eventually { slots.withLock { $0.count } == 12 })
        let tail = slots.withLock { Array($0[10...]) }
        tail[0].1.complete(.noResponse)
        tail[1].1.complete(.bytes([42]))
        XCTAssertEqual(try client.readFrame(), [42])
        XCTAssertTrue(eventually { server.inflightRequestCount == 0 })
    }

    func testMultiPartResponseIsGatheredWithOneSizePrefix() throws {
        let server = try makeServer { _, _, slot in
            slot.complete(.parts([.bytes([1, 2]), .bytes([]), .bytes([3]), .bytes(Array(repeating: 9, count: 100_000))]))
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([0])
        XCTAssertEqual(try client.readFrame(), [1, 2, 3] + Array(repeating: 9, count: 100_000))
    }

    func testCloseConnectionResponseWritesEarlierResponsesFirst() throws {
        let server = try makeServer { _, payload, slot in
            slot.complete(payload == [0xff] ? .closeConnection : .bytes(payload))
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.send(TestClient.frame([1]) + TestClient.frame([2]) + TestClient.frame([0xff]) + TestClient.frame([3]))
        XCTAssertEqual(try client.readFrame(), [1])
        XCTAssertEqual(try client.readFrame(), [2])
        XCTAssertTrue(client.waitForClose())
    }

    func testSlotDroppedWithoutCompletionClosesConnection() throws {
        let server = try makeServer { _, payload, slot in
            if payload != [0] { slot.complete(.bytes(payload)) }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([1])
        XCTAssertEqual(try client.readFrame(), [1])
        try client.sendFrame([0])
        XCTAssertTrue(client.waitForClose())
    }

    func testTryCompleteFirstWins() throws {
        let results = Mutex<[Bool]>([])
        let server = try makeServer { _, payload, slot in
            let first = slot.tryComplete(.bytes(payload))
            let second = slot.tryComplete(.bytes([0]))
            results.withLock { $0 += [first, second] }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([7])
        XCTAssertEqual(try client.readFrame(), [7])
        XCTAssertEqual(results.withLock { $0 }, [true, false])
    }

    // MARK: File regions (sendfile)

    private func temporaryFile(bytes count: Int) throws -> (path: String, contents: [UInt8]) {
        var random = SystemRandomNumberGenerator()
        var contents = [UInt8](repeating: 0, count: count)
        for index in stride(from: 0, to: count, by: 8) {
            let word = random.next()
            for shift in 0..<min(8, count - index) { contents[index + shift] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(shift))) }
        }
        let path = NSTemporaryDirectory() + "sluice-io-\(UUID().uuidString)"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(contents)))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return (path, contents)
    }

    func testALastResponseIsWrittenThenTheConnectionCloses() throws {
        let server = try makeServer { _, payload, slot in slot.complete(.lastParts([.bytes(payload)])) }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([1, 2, 3])
        try? client.sendFrame([4])  // read after the last answer: never answered
        XCTAssertEqual(try client.readFrame(), [1, 2, 3])
        XCTAssertTrue(client.waitForClose())
    }

    func testFileRegionResponseIsByteExact() throws {
        let (path, contents) = try temporaryFile(bytes: 64 << 10)
        let file = try SharedFileDescriptor.openForReading(path: path)
        let server = try makeServer { _, _, slot in
            slot.complete(.parts([.bytes([0xAA, 0xBB]), .file(FileRegion(descriptor: file, offset: 100, length: 5_000)),
                                  .bytes([0xCC]), .file(FileRegion(descriptor: file, offset: 0, length: 0)),
                                  .file(FileRegion(descriptor: file, offset: 60_000, length: 5_536))]))
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([1])
        let expected = [0xAA, 0xBB] + contents[100..<5_100] + [0xCC] + contents[60_000..<65_536]
        XCTAssertEqual(try client.readFrame(), Array(expected))
    }

    func testLargeFileRegionToSlowReaderThenNextResponseInOrder() throws {
        let size = 6 << 20
        let (path, contents) = try temporaryFile(bytes: size)
        let file = try SharedFileDescriptor.openForReading(path: path)
        let server = try makeServer { _, payload, slot in
            if payload == [1] {
                // Complete from another thread, after the descriptor's last other reference is gone.
                DispatchQueue.global().async {
                    slot.complete(.parts([.bytes([0x01]), .file(FileRegion(descriptor: file, offset: 0, length: size))]))
                }
            } else {
                slot.complete(.bytes(payload))
            }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port, receiveBufferBytes: 16 << 10)
        try client.send(TestClient.frame([1]) + TestClient.frame([2]))
        // 64 KiB reads with a pause: the server's socket buffer fills and it must wait for EPOLLOUT.
        let first = try client.readFrame(chunk: 64 << 10, pauseMicroseconds: 2_000)
        XCTAssertEqual(first.count, size + 1)
        XCTAssertEqual(first.first, 0x01)
        XCTAssertTrue(first.dropFirst().elementsEqual(contents), "file bytes differ")
        XCTAssertEqual(try client.readFrame(), [2])
    }

    func testFileRegionPastEndOfFileClosesConnection() throws {
        let (path, _) = try temporaryFile(bytes: 1_000)
        let file = try SharedFileDescriptor.openForReading(path: path)
        let server = try makeServer { _, _, slot in
            slot.complete(.parts([.file(FileRegion(descriptor: file, offset: 500, length: 1_000))]))
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        try client.sendFrame([1])
        XCTAssertTrue(client.waitForClose())
    }

    // MARK: Bad framing

    func testOversizedFrameClosesConnectionAndServerServesOthers() throws {
        let server = try makeServer({ $0.maxRequestBytes = 1_024 }, handler: Self.echo)
        defer { server.shutdown() }
        let good = try TestClient(port: server.port)
        try good.sendFrame(Array(repeating: 7, count: 1_024))
        XCTAssertEqual(try good.readFrame().count, 1_024)

        let bad = try TestClient(port: server.port)
        try bad.send(TestClient.sizePrefix(1_025) + [1, 2, 3])
        XCTAssertTrue(bad.waitForClose())

        let huge = try TestClient(port: server.port)
        try huge.send(TestClient.sizePrefix(Int32.max))
        XCTAssertTrue(huge.waitForClose())

        try good.sendFrame([9])
        XCTAssertEqual(try good.readFrame(), [9])
        XCTAssertTrue(eventually { server.connectionCount == 1 })
    }

    func testDefaultLimitRejectsSizeOfTwoToTheThirtyOneMinusOne() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        XCTAssertEqual(server.configuration.maxRequestBytes, 100 * 1024 * 1024)
        let client = try TestClient(port: server.port)
        try client.send(TestClient.sizePrefix(Int32.max) + Array(repeating: 0, count: 100))
        XCTAssertTrue(client.waitForClose())
    }

    func testNegativeSizeClosesConnection() throws {
        let server = try makeServer(handler: Self.echo)
        defer { server.shutdown() }
        for size: Int32 in [-1, Int32.min] {
            let client = try TestClient(port: server.port)
            try client.send(TestClient.sizePrefix(size))
            XCTAssertTrue(client.waitForClose(), "size \(size)")
        }
        let after = try TestClient(port: server.port)
        try after.sendFrame([5])
        XCTAssertEqual(try after.readFrame(), [5])
    }

    // MARK: Memory and time bounds

    func testFramesBeyondTheRequestByteBudgetWaitUnreadUntilAnswersFreeRoom() throws {
        let held = Mutex<[ResponseSlot]>([])
        let pressure = Mutex<[FrameServer.Pressure]>([])
        let server = try makeServer({
            $0.maxRequestBytes = 1 << 20
            $0.maxQueuedRequestBytes = 1 << 20
            $0.onPressure = { event in pressure.withLock { $0.append(event) } }
        }) { _, _, slot in held.withLock { $0.append(slot) } }
        defer { server.shutdown() }
        let first = try TestClient(port: server.port), second = try TestClient(port: server.port)
        try first.sendFrame(Array(repeating: 1, count: 700 << 10))
        XCTAssertTrue(eventually { held.withLock { $0.count } == 1 })
        try second.sendFrame(Array(repeating: 2, count: 700 << 10))
        XCTAssertTrue(eventually { server.requestByteWaits >= 1 })
        usleep(300_000)
        XCTAssertEqual(held.withLock { $0.count }, 1, "the second frame was read past the budget")
        XCTAssertEqual(server.queuedRequestBytes, 700 << 10)
        held.withLock { $0[0] }.complete(.bytes([9]))
        XCTAssertEqual(try first.readFrame(), [9])
        XCTAssertTrue(eventually { held.withLock { $0.count } == 2 }, "the waiting frame is read once room frees")
        held.withLock { $0[1] }.complete(.bytes([8]))
        XCTAssertEqual(try second.readFrame(), [8])
        XCTAssertTrue(eventually { server.queuedRequestBytes == 0 })
        XCTAssertEqual(pressure.withLock { $0 }, [.requestBytesExhausted, .relieved], "each episode reported once, and its end")
    }

    func testAFrameTrickledSlowerThanTheReadTimeoutClosesItsConnection() throws {
        let server = try makeServer({ $0.requestReadTimeout = .milliseconds(300) }, handler: Self.echo)
        defer { server.shutdown() }
        let slow = try TestClient(port: server.port)
        let quiet = try TestClient(port: server.port)
        try quiet.sendFrame([1])
        XCTAssertEqual(try quiet.readFrame(), [1])
        try slow.send(TestClient.sizePrefix(1_000))
        for _ in 0..<3 {
            try slow.send([0])  // a byte now and then: never idle, never done
            usleep(100_000)
        }
        XCTAssertTrue(slow.waitForClose(), "a stalled frame keeps its connection open")
        XCTAssertEqual(server.slowReadsClosed, 1)
        XCTAssertTrue(eventually { server.queuedRequestBytes == 0 }, "the stalled frame's room is given back")
        try quiet.sendFrame([2])
        XCTAssertEqual(try quiet.readFrame(), [2], "a connection idle between frames is not slow")
    }

    func testHandshakeFramesAreSmallUntilTheHandshakeIsOver() throws {
        let server = try makeServer({ $0.handshakeFrames = 2; $0.handshakeFrameBytesMax = 100 }, handler: Self.echo)
        defer { server.shutdown() }
        let greedy = try TestClient(port: server.port)
        try greedy.send(TestClient.sizePrefix(100_000_000))
        XCTAssertTrue(greedy.waitForClose(), "a large first frame is refused before anything is allocated")
        let polite = try TestClient(port: server.port)
        for payload in [[UInt8](repeating: 1, count: 100), [2], [UInt8](repeating: 3, count: 10_000)] {
            try polite.sendFrame(payload)
            XCTAssertEqual(try polite.readFrame(), payload)
        }
        // The last handshake frame and a large one in the same write (so most likely one read).
        let eager = try TestClient(port: server.port)
        try eager.sendFrame([1])
        XCTAssertEqual(try eager.readFrame(), [1])
        let large = [UInt8](repeating: 4, count: 50_000)
        try eager.send(TestClient.frame([2]) + TestClient.frame(large))
        XCTAssertEqual(try eager.readFrame(), [2])
        XCTAssertEqual(try eager.readFrame(), large, "the frame after the handshake may be large even when it arrives with it")
    }

    func testHalfSentFrameThenDisconnectReleasesEverything() throws {
        let closed = Atomic<Int>(0)
        let server = try makeServer(onClose: { _ in closed.add(1, ordering: .relaxed) }, handler: Self.echo)
        defer { server.shutdown() }
        let descriptorsBefore = openDescriptorCount()
        for _ in 0..<20 {
            let client = try TestClient(port: server.port)
            try client.send(TestClient.sizePrefix(1_000_000) + Array(repeating: 1, count: 5_000))
            let partialPrefix = try TestClient(port: server.port)
            try partialPrefix.send([0, 0])
        }
        XCTAssertTrue(eventually { closed.load(ordering: .relaxed) == 40 })
        XCTAssertTrue(eventually { server.connectionCount == 0 })
        XCTAssertTrue(eventually { openDescriptorCount() == descriptorsBefore }, "server leaked socket descriptors")
        let after = try TestClient(port: server.port)
        try after.sendFrame([5])
        XCTAssertEqual(try after.readFrame(), [5])
    }

    func testRandomGarbageOnManyConnectionsNeverTakesTheServerDown() throws {
        let server = try makeServer({ $0.maxRequestBytes = 1 << 20; $0.eventLoopCount = 2 }, handler: Self.echo)
        defer { server.shutdown() }
        var random = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let client = try TestClient(port: server.port, timeoutSeconds: 2)
            var garbage = (0..<Int.random(in: 1...3_000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 3 == 0 { garbage = TestClient.sizePrefix(Int32.random(in: 0...64, using: &random)) + garbage }
            try? client.send(garbage)
        }
        XCTAssertTrue(eventually(timeoutSeconds: 10) { server.connectionCount == 0 })
        XCTAssertEqual(server.inflightRequestCount, 0)
        let after = try TestClient(port: server.port)
        try after.sendFrame([5])
        XCTAssertEqual(try after.readFrame(), [5])
    }

    func testCompletingSlotsAfterPeerClosedIsANoOp() throws {
        let held = Mutex<[ResponseSlot]>([])
        let server = try makeServer { _, _, slot in held.withLock { $0.append(slot) } }
        defer { server.shutdown() }
        do {
            let client = try TestClient(port: server.port)
            try client.send(TestClient.frame([1]) + TestClient.frame([2]))
            XCTAssertTrue(eventually { held.withLock { $0.count } == 2 })
        }
        XCTAssertTrue(eventually { server.connectionCount == 0 })
        let slots = held.withLock { $0 }
        XCTAssertTrue(slots.allSatisfy(\.isConnectionClosed))
        slots[1].complete(.bytes([1]))
        slots[0].complete(.noResponse)
        XCTAssertEqual(server.inflightRequestCount, 0)
    }

    // MARK: Limits

    func testMaxConnectionsAcceptsThenClosesTheExcess() throws {
        let server = try makeServer({ $0.maxConnections = 3 }, handler: Self.echo)
        defer { server.shutdown() }
        var clients = try (0..<3).map { _ in try TestClient(port: server.port) }
        for (index, client) in clients.enumerated() {
            try client.sendFrame([UInt8(index)])
            XCTAssertEqual(try client.readFrame(), [UInt8(index)])
        }
        let excess = try TestClient(port: server.port)
        XCTAssertTrue(excess.waitForClose())
        XCTAssertEqual(server.rejectedConnectionCount, 1)
        clients.removeFirst()
        XCTAssertTrue(eventually { server.connectionCount == 2 })
        let replacement = try TestClient(port: server.port)
        try replacement.sendFrame([9])
        XCTAssertEqual(try replacement.readFrame(), [9])
    }

    func testMaxConnectionsPerIP() throws {
        let server = try makeServer({ $0.maxConnectionsPerIP = 2 }, handler: Self.echo)
        defer { server.shutdown() }
        let first = try TestClient(port: server.port, sourceIP: "127.0.0.1")
        let second = try TestClient(port: server.port, sourceIP: "127.0.0.1")
        let third = try TestClient(port: server.port, sourceIP: "127.0.0.1")
        XCTAssertTrue(third.waitForClose())
        // Another address on the loopback network has its own allowance.
        let otherIP = try TestClient(port: server.port, sourceIP: "127.0.0.2")
        for client in [first, second, otherIP] {
            try client.sendFrame([3])
            XCTAssertEqual(try client.readFrame(), [3])
        }
        XCTAssertEqual(server.rejectedConnectionCount, 1)
    }

    func testIdleConnectionIsClosedAndBusyOneIsNot() throws {
        let server = try makeServer({ $0.idleTimeout = .milliseconds(300) }, handler: Self.echo)
        defer { server.shutdown() }
        let idle = try TestClient(port: server.port, timeoutSeconds: 3)
        let busy = try TestClient(port: server.port, timeoutSeconds: 3)
        let start = Date()
        for _ in 0..<6 {
            try busy.sendFrame([1])
            XCTAssertEqual(try busy.readFrame(), [1])
            usleep(150_000)
        }
        XCTAssertTrue(idle.waitForClose())
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.29)
        try busy.sendFrame([2])
        XCTAssertEqual(try busy.readFrame(), [2])
    }

    func testRequestAwaitingItsHandlerIsNotIdle() throws {
        let held = Mutex<ResponseSlot?>(nil)
        let server = try makeServer({ $0.idleTimeout = .milliseconds(200) }) { _, _, slot in
            held.withLock { $0 = slot }
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port, timeoutSeconds: 3)
        try client.sendFrame([1])
        XCTAssertTrue(client.staysOpenAndQuiet(milliseconds: 600))
        held.withLock { $0?.complete(.bytes([1])); $0 = nil }
        XCTAssertEqual(try client.readFrame(), [1])
        XCTAssertTrue(client.waitForClose())
    }

    // MARK: Load and shutdown

    func testFiftyConcurrentClientsTimesOneHundredFrames() throws {
        let server = try makeServer({ $0.eventLoopCount = 2 }) { context, payload, slot in
            if payload.first == 0 {
                slot.complete(.bytes(payload))
            } else {
                DispatchQueue.global().async { slot.complete(.parts([.bytes(bytes(of: UInt32(context.id.rawValue))), .bytes(payload)])) }
            }
        }
        defer { server.shutdown() }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 50) { clientIndex in
            do {
                let client = try TestClient(port: server.port)
                var expectedID: UInt32?
                // Pipelined in bursts of 25.
                for burst in 0..<4 {
                    let numbers = (0..<25).map { UInt32(burst * 25 + $0) }
                    try client.send(numbers.flatMap { TestClient.frame([1] + bytes(of: $0) + Array(repeating: UInt8(clientIndex), count: 200)) })
                    for number in numbers {
                        let response = try client.readFrame()
                        let id = uint32(Array(response[0..<4]))
                        if expectedID == nil { expectedID = id }
                        guard id == expectedID, uint32(Array(response[5..<9])) == number, response.count == 4 + 1 + 4 + 200,
                              response[9...].allSatisfy({ $0 == UInt8(clientIndex) }) else {
                            failures.withLock { $0.append("client \(clientIndex) frame \(number)") }
                            return
                        }
                    }
                }
            } catch {
                failures.withLock { $0.append("client \(clientIndex): \(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertTrue(eventually { server.connectionCount == 0 })
    }

    func testShutdownClosesConnectionsAndStopsAccepting() throws {
        let server = try makeServer(handler: Self.echo)
        let port = server.port
        let client = try TestClient(port: port)
        try client.sendFrame([1])
        XCTAssertEqual(try client.readFrame(), [1])
        server.shutdown()
        XCTAssertTrue(client.waitForClose())
        XCTAssertThrowsError(try TestClient(port: port))
        server.shutdown()  // idempotent
    }

    func testGracefulShutdownFinishesInflightRequests() throws {
        let server = try makeServer { _, payload, slot in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { slot.complete(.bytes(payload)) }
        }
        let client = try TestClient(port: server.port)
        try client.send(TestClient.frame([1]) + TestClient.frame([2]))
        XCTAssertTrue(eventually { server.inflightRequestCount == 2 })
        server.shutdown(gracePeriod: .seconds(5))
        XCTAssertEqual(try client.readFrame(), [1])
        XCTAssertEqual(try client.readFrame(), [2])
        XCTAssertTrue(client.waitForClose())
    }

    func testEphemeralPortsDifferAndListenerIsExposed() throws {
        let first = try makeServer(handler: Self.echo)
        let second = try makeServer(handler: Self.echo)
        defer { first.shutdown(); second.shutdown() }
        XCTAssertNotEqual(first.port, second.port)
        XCTAssertEqual(first.localAddress.host, "127.0.0.1")
    }

    func testBindingAPortInUseThrows() throws {
        let first = try makeServer(handler: Self.echo)
        defer { first.shutdown() }
        XCTAssertThrowsError(try makeServer({ $0.port = first.port }, handler: Self.echo)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EADDRINUSE)
        }
    }
}

/// Descriptors open in this process.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// `ResponseSlot` without a server: what handler unit tests in other modules use.
final class DetachedResponseSlotTests: XCTestCase {
    func testDetachedSlotCallsBackOnceAndDropCloses() {
        let received = Mutex<[String]>([])
        let record: @Sendable (FrameResponse) -> Void = { response in
            let text: String
            switch response {
            case .noResponse: text = "none"
            case .parts(let parts): text = "parts:\(parts.map(\.byteCount).reduce(0, +))"
            case .closeConnection: text = "close"
            case .lastParts(let parts): text = "last:\(parts.map(\.byteCount).reduce(0, +))"
            }
            received.withLock { $0.append(text) }
        }
        let slot = ResponseSlot(connectionID: ConnectionID(rawValue: 9), onComplete: record)
        XCTAssertEqual(slot.connectionID, ConnectionID(rawValue: 9))
        XCTAssertFalse(slot.isCompleted)
        slot.complete(.bytes([1, 2, 3]))
        XCTAssertTrue(slot.isCompleted)
        XCTAssertFalse(slot.tryComplete(.noResponse))
        do { _ = ResponseSlot(onComplete: record) }
        XCTAssertEqual(received.withLock { $0 }, ["parts:3", "close"])
    }
}
