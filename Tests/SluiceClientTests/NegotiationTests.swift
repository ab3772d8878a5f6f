@testable import SluiceClient
import SluiceWire
import XCTest
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A scripted broker that speaks only ApiVersions 0-2 (like Kafka before 2.4) and a few APIs, to
/// check the client's fallback and version choice against brokers other than sluiced.
private final class OldBroker: Sendable {
    let port: Int
    private let listener: Int32
    /// ApiVersions versions the client asked with, in order.
    let askedVersions = Mutex<[Int16]>([])

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw SluiceClientError.invalidArgument("cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Serves one connection on a thread until the client closes it.
    func serveOne() {
        spawnThread { [self] in
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            while let frame = readFrame(client) {
                var reader = ByteReader(frame)
                guard let header = try? RequestHeader(from: &reader) else { return }
                var body = ByteWriter()
                if header.apiKey == ApiKey.apiVersions.rawValue {
                    askedVersions.withLock { $0.append(header.apiVersion) }
                    if header.apiVersion > 2 {
                        ApiVersionsResponse(errorCode: 35, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 2)]).encode(into: &body, version: 0)
                    } else {
                        ApiVersionsResponse(errorCode: 0, apiKeys: [
                            .init(apiKey: 18, minVersion: 0, maxVersion: 2), .init(apiKey: 3, minVersion: 0, maxVersion: 1),
                            .init(apiKey: 0, minVersion: 3, maxVersion: 5), .init(apiKey: 1, minVersion: 4, maxVersion: 6),
                        ]).encode(into: &body, version: header.apiVersion)
                    }
                } else if header.apiKey == ApiKey.metadata.rawValue {
                    MetadataResponse(brokers: [.init(nodeId: 7, host: "127.0.0.1", port: Int32(port))], controllerId: 7, topics: [])
                        .encode(into: &body, version: header.apiVersion)
                } else {
                    return
                }
                var out = ByteWriter()
                out.writeInt32(Int32(4 + body.count))
                out.writeInt32(header.correlationId)  // response header v0: none of these versions is flexible
                out.writeRaw(body.bytes)
                _ = out.bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    private func readFrame(_ fd: Int32) -> [UInt8]? {
        guard let sizeBytes = readExactly(fd, 4) else { return nil }
        let size = Int(sizeBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        return readExactly(fd, size)
    }

    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return recv(fd, base + done, count - done, 0)
            }
            if n <= 0 { return nil }
            done += n
        }
        return buffer
    }

    deinit { close(listener) }
}

final class NegotiationTests: XCTestCase {
    func testFallsBackToTheBrokersApiVersionsAndPicksCommonVersions() async throws {
        let broker = try OldBroker()
        broker.serveOne()
        let cluster = try Cluster(bootstrap: ["127.0.0.1:\(broker.port)"], config: ConnectionConfig())
        let connection = try await cluster.anyConnection()
        XCTAssertEqual(broker.askedVersions.withLock { $0 }, [4, 2], "asks with v4, retries with the broker's highest")
        XCTAssertEqual(connection.version(for: .metadata), 1)
        XCTAssertEqual(connection.version(for: .produce), 5)
        XCTAssertEqual(connection.version(for: .fetch), 6)
        XCTAssertNil(connection.version(for: .joinGroup), "not advertised")
        let response = try await cluster.refreshMetadata(topics: [])
        XCTAssertEqual(response.brokers.map(\.nodeId), [7])
        do {
            _ = try connection.requireVersion(.deleteRecords)
            XCTFail("an API the broker does not advertise must fail clearly")
        } catch {
            XCTAssertTrue(error.description.contains("DeleteRecords") && error.description.contains("127.0.0.1:\(broker.port)"), error.description)
        }
        await cluster.close()
    }
}
