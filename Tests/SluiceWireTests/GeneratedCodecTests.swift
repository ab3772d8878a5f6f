import Foundation
import XCTest
@testable import SluiceWire

/// Tests for the codecs generated from proto/kafka (Sources/SluiceWire/Generated): round trips of
/// every API in every version, byte vectors written by hand from the protocol guide and from
/// what real clients sent (captured from kcat and the Python clients), truncation and hostile lengths.
final class GeneratedCodecTests: XCTestCase {
    // MARK: Helpers

    private func bytes(hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd hex")
        var out: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            out.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    private func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    private func encodeRequest(_ body: KafkaRequest, version: Int16) -> [UInt8] {
        var writer = ByteWriter()
        body.encode(into: &writer, version: version)
        return writer.bytes
    }

    private func encodeResponse(_ body: KafkaResponse, version: Int16) -> [UInt8] {
        var writer = ByteWriter()
        body.encode(into: &writer, version: version)
        return writer.bytes
    }

    private func encode<M: WireMessage>(_ message: M, version: Int16) -> [UInt8] {
        var writer = ByteWriter()
        message.encode(into: &writer, version: version)
        return writer.bytes
    }

    private func decode<M: WireMessage>(_ type: M.Type, _ bytes: [UInt8], version: Int16) throws -> M {
        var reader = ByteReader(bytes)
        let message = try M(from: &reader, version: version)
        XCTAssertTrue(reader.isAtEnd, "\(M.self) v\(version) left \(reader.remaining) bytes unread")
        return message
    }

    private struct FileRange: ExternalRecords {
        var byteCount: Int
    }

    // MARK: Tables

    func testVersionTableCoversEveryServedApi() {
        let expected: [(ApiKey, Int16, ClosedRange<Int16>, Int16?)] = [
            (.produce, 0, 0...9, 9), (.fetch, 1, 0...12, 12), (.listOffsets, 2, 0...7, 6), (.metadata, 3, 0...12, 9),
            (.offsetCommit, 8, 0...8, 8), (.offsetFetch, 9, 0...8, 6), (.findCoordinator, 10, 0...4, 3),
            (.joinGroup, 11, 0...9, 6), (.heartbeat, 12, 0...4, 4), (.leaveGroup, 13, 0...5, 4), (.syncGroup, 14, 0...5, 4),
            (.describeGroups, 15, 0...5, 5), (.listGroups, 16, 0...4, 3), (.apiVersions, 18, 0...4, 3),
            (.createTopics, 19, 0...7, 5), (.deleteTopics, 20, 0...6, 4), (.deleteRecords, 21, 0...2, 2),
            (.initProducerId, 22, 0...4, 2), (.offsetForLeaderEpoch, 23, 0...4, 4), (.describeConfigs, 32, 0...4, 4),
            (.alterConfigs, 33, 0...1, nil),
            (.createPartitions, 37, 0...3, 2), (.deleteGroups, 42, 0...2, 2), (.incrementalAlterConfigs, 44, 0...1, 1),
            (.alterPartitionReassignments, 45, 0...0, 0), (.listPartitionReassignments, 46, 0...0, 0), (.offsetDelete, 47, 0...0, nil),
            (.saslHandshake, 17, 0...1, nil), (.saslAuthenticate, 36, 0...2, 2), (.describeAcls, 29, 0...3, 2), (.createAcls, 30, 0...3, 2),
            (.deleteAcls, 31, 0...3, 2), (.describeUserScramCredentials, 50, 0...0, 0), (.alterUserScramCredentials, 51, 0...0, 0),
            (.describeClientQuotas, 48, 0...1, 1), (.alterClientQuotas, 49, 0...1, 1),
            (.describeQuorum, 55, 0...1, 0), (.addRaftVoter, 80, 0...1, 0), (.removeRaftVoter, 81, 0...0, 0),
        ]
        XCTAssertEqual(ApiKey.allCases.count, expected.count)
        XCTAssertEqual(ApiKey.versionTable.map(\.apiKey), ApiKey.allCases)
        for (key, raw, valid, flexible) in expected {
            XCTAssertEqual(key.rawValue, raw, key.name)
            XCTAssertEqual(key.validVersions, valid, key.name)
            XCTAssertEqual(key.firstFlexibleVersion, flexible, key.name)
        }
        XCTAssertEqual(ApiKey.apiVersions.name, "ApiVersions")
        XCTAssertEqual(MetadataRequest.apiKey, .metadata)
        XCTAssertEqual(FetchResponse.validVersions, 0...12)
    }

    func testHeaderVersionRules() {
        // Request header: v2 exactly for flexible versions, else v1.
        XCTAssertEqual(requestHeaderVersion(apiKey: .apiVersions, version: 0), 1)
        XCTAssertEqual(requestHeaderVersion(apiKey: .apiVersions, version: 2), 1)
        XCTAssertEqual(requestHeaderVersion(apiKey: .apiVersions, version: 3), 2)
        XCTAssertEqual(requestHeaderVersion(apiKey: .apiVersions, version: 4), 2)
        XCTAssertEqual(requestHeaderVersion(apiKey: .metadata, version: 8), 1)
        XCTAssertEqual(requestHeaderVersion(apiKey: .metadata, version: 9), 2)
        XCTAssertEqual(requestHeaderVersion(apiKey: .produce, version: 7), 1)
        XCTAssertEqual(requestHeaderVersion(apiKey: .offsetDelete, version: 0), 1)
        // A newer client's ApiVersions v5 still has a flexible (v2) header.
        XCTAssertEqual(requestHeaderVersion(apiKey: 18, version: 5), 2)
        XCTAssertNil(requestHeaderVersion(apiKey: 999, version: 0))
        // Response header: v1 for flexible versions, v0 otherwise, and always v0 for ApiVersions.
        XCTAssertEqual(responseHeaderVersion(apiKey: .apiVersions, version: 0), 0)
        XCTAssertEqual(responseHeaderVersion(apiKey: .apiVersions, version: 3), 0)
        XCTAssertEqual(responseHeaderVersion(apiKey: .apiVersions, version: 4), 0)
        XCTAssertEqual(responseHeaderVersion(apiKey: .metadata, version: 8), 0)
        XCTAssertEqual(responseHeaderVersion(apiKey: .metadata, version: 9), 1)
        XCTAssertEqual(responseHeaderVersion(apiKey: .fetch, version: 12), 1)
        XCTAssertEqual(responseHeaderVersion(apiKey: .offsetDelete, version: 0), 0)
        XCTAssertEqual(responseHeaderVersion(apiKey: 18, version: 3), 0)
        XCTAssertNil(responseHeaderVersion(apiKey: 999, version: 0))
    }

    // MARK: Round trips

    /// Every API, every version, request and response, with fields set and with nullable fields nil:
    /// encode, decode, compare; then the decoded value re-encodes to the same bytes.
    func testEveryApiRoundTripsInEveryVersion() throws {
        var checked = 0
        for key in ApiKey.allCases {
            for version in key.validVersions {
                for nulls in [false, true] {
                    let request = KafkaRequest.sample(key, version: version, nulls: nulls)
                    let requestBytes = encodeRequest(request, version: version)
                    var reader = ByteReader(requestBytes)
                    let decodedRequest = try KafkaRequest(apiKey: key, version: version, from: &reader)
                    XCTAssertTrue(reader.isAtEnd, "\(key.name) request v\(version) left bytes")
                    XCTAssertEqual(decodedRequest, request, "\(key.name) request v\(version) nulls=\(nulls)")
                    XCTAssertEqual(encodeRequest(decodedRequest, version: version), requestBytes)

                    let response = KafkaResponse.sample(key, version: version, nulls: nulls)
                    let responseBytes = encodeResponse(response, version: version)
                    reader = ByteReader(responseBytes)
                    let decodedResponse = try KafkaResponse(apiKey: key, version: version, from: &reader)
                    XCTAssertTrue(reader.isAtEnd, "\(key.name) response v\(version) left bytes")
                    XCTAssertEqual(decodedResponse, response, "\(key.name) response v\(version) nulls=\(nulls)")
                    XCTAssertEqual(encodeResponse(decodedResponse, version: version), responseBytes)
                    checked += 2
                }
            }
        }
        // 39 APIs, 185 versions in all, times request+response, times 2 null settings.
        XCTAssertEqual(ApiKey.allCases.map { $0.validVersions.count }.reduce(0, +), 185)
        XCTAssertEqual(checked, 185 * 2 * 2)
    }

    /// Bodies left at their schema defaults round-trip too (tagged fields at their defaults are
    /// left out, so this also checks the "written only when not default" rule reads back).
    func testDefaultValuesRoundTripInEveryVersion() throws {
        for key in ApiKey.allCases {
            for version in key.validVersions {
                let request = KafkaRequest.defaults(key)
                var reader = ByteReader(encodeRequest(request, version: version))
                XCTAssertEqual(try KafkaRequest(apiKey: key, version: version, from: &reader), request, "\(key.name) v\(version)")
                XCTAssertTrue(reader.isAtEnd)
                let response = KafkaResponse.defaults(key)
                reader = ByteReader(encodeResponse(response, version: version))
                XCTAssertEqual(try KafkaResponse(apiKey: key, version: version, from: &reader), response, "\(key.name) v\(version)")
                XCTAssertTrue(reader.isAtEnd)
            }
        }
        XCTAssertEqual(encode(MetadataRequest(), version: 12), bytes(hex: "01 01 00 00"))
        XCTAssertEqual(MetadataResponse().controllerId, -1)
        XCTAssertEqual(FetchRequest().maxBytes, Int32.max)
        XCTAssertEqual(CreateTopicsRequest().timeoutMs, 60_000)
        XCTAssertNil(MetadataResponse().clusterId)
    }

    func testHeadersRoundTripInEveryVersion() throws {
        let request = RequestHeader(apiKey: 3, apiVersion: 9, correlationId: 77, clientId: "client-é")
        for version: Int16 in 0...2 {
            let decoded = try decode(RequestHeader.self, encode(request, version: version), version: version)
            XCTAssertEqual(decoded.apiKey, 3)
            XCTAssertEqual(decoded.correlationId, 77)
            XCTAssertEqual(decoded.clientId, version == 0 ? "" : "client-é")
        }
        let nullClient = RequestHeader(apiKey: 3, apiVersion: 9, correlationId: 77, clientId: nil)
        XCTAssertEqual(try decode(RequestHeader.self, encode(nullClient, version: 2), version: 2), nullClient)
        let response = ResponseHeader(correlationId: -5)
        XCTAssertEqual(encode(response, version: 0), bytes(hex: "fffffffb"))
        XCTAssertEqual(encode(response, version: 1), bytes(hex: "fffffffb 00"))
        for version: Int16 in 0...1 {
            XCTAssertEqual(try decode(ResponseHeader.self, encode(response, version: version), version: version), response)
        }
    }

    // MARK: Byte vectors

    /// aiokafka's first request: ApiVersions v0, header v1, empty body.
    func testApiVersionsV0RequestHasAnEmptyBody() throws {
        XCTAssertEqual(encode(ApiVersionsRequest(), version: 0), [])
        let frame = bytes(hex: "0012 0000 00000001 0013") + ascii("aiokafka-producer-1")
        var reader = ByteReader(frame)
        let header = try RequestHeader(from: &reader)
        XCTAssertEqual(header, RequestHeader(apiKey: 18, apiVersion: 0, correlationId: 1, clientId: "aiokafka-producer-1"))
        let body = try ApiVersionsRequest(from: &reader, version: 0)
        XCTAssertEqual(body, ApiVersionsRequest())
        XCTAssertTrue(reader.isAtEnd)
    }

    /// kcat's first request exactly as captured from kcat 1.7.1: ApiVersions v3 with
    /// request header v2, whose client id keeps its int16 length before the tag byte.
    func testApiVersionsV3RequestAsKcatSendsIt() throws {
        let frame = bytes(hex: "00000024 0012 0003 00000001 0007") + ascii("rdkafka") + [0x00, 0x0b] + ascii("librdkafka")
            + [0x06] + ascii("2.0.2") + [0x00]
        var reader = ByteReader(frame)
        XCTAssertEqual(try reader.readInt32(), Int32(frame.count - 4))
        let header = try RequestHeader(from: &reader)
        XCTAssertEqual(header, RequestHeader(apiKey: 18, apiVersion: 3, correlationId: 1, clientId: "rdkafka"))
        let body = try ApiVersionsRequest(from: &reader, version: 3)
        XCTAssertEqual(body, ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.0.2"))
        XCTAssertTrue(reader.isAtEnd)

        var writer = ByteWriter()
        writer.writeInt32(0)
        header.encode(into: &writer, version: requestHeaderVersion(apiKey: .apiVersions, version: 3))
        body.encode(into: &writer, version: 3)
        writer.patchInt32(Int32(writer.count - 4), at: 0)
        XCTAssertEqual(writer.bytes, frame)
    }

    /// ApiVersions v3 response: header v0 (no tag byte, the ApiVersions exception), then a
    /// flexible body: compact array of entries each ending in a tag section, throttle time, tags.
    func testApiVersionsV3ResponseShape() throws {
        let response = ApiVersionsResponse(
            errorCode: 0,
            apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 4), .init(apiKey: 3, minVersion: 0, maxVersion: 12)],
            throttleTimeMs: 0)
        var writer = ByteWriter()
        let headerVersion = responseHeaderVersion(apiKey: .apiVersions, version: 3)
        XCTAssertEqual(headerVersion, 0)
        ResponseHeader(correlationId: 1).encode(into: &writer, version: headerVersion)
        response.encode(into: &writer, version: 3)
        let expected = bytes(hex: """
            00000001
            0000
            03
            0012 0000 0004 00
            0003 0000 000c 00
            00000000
            00
            """)
        XCTAssertEqual(writer.bytes, expected)

        // The same answer in v0: int32 array count, no tag sections, no throttle time.
        XCTAssertEqual(encode(response, version: 0), bytes(hex: "0000 00000002 0012 0000 0004 0003 0000 000c"))
        // v1 adds the throttle time.
        XCTAssertEqual(encode(response, version: 1), bytes(hex: "0000 00000002 0012 0000 0004 0003 0000 000c 00000000"))
        // An UNSUPPORTED_VERSION answer is laid out as v0 and listing only ApiVersions itself.
        let unsupported = ApiVersionsResponse(errorCode: 35, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 4)])
        XCTAssertEqual(encode(unsupported, version: 0), bytes(hex: "0023 00000001 0012 0000 0004"))
    }

    func testApiVersionsResponseTaggedFeaturesAreWrittenOnlyWhenSet() throws {
        XCTAssertEqual(encode(ApiVersionsResponse(), version: 3), bytes(hex: "0000 01 00000000 00"))
        let withFeatures = ApiVersionsResponse(supportedFeatures: [.init(name: "metadata.version", minVersion: 1, maxVersion: 20)])
        let encoded = encode(withFeatures, version: 3)
        // One tagged field: tag 0, then its size and a compact array of one feature.
        let feature = [0x11] + ascii("metadata.version") + bytes(hex: "0001 0014 00")
        XCTAssertEqual(encoded, bytes(hex: "0000 01 00000000 01 00") + [UInt8(1 + feature.count), 0x02] + feature)
        XCTAssertEqual(try decode(ApiVersionsResponse.self, encoded, version: 3), withFeatures)
        // The same value in v2 simply has no place for the feature list.
        XCTAssertEqual(try decode(ApiVersionsResponse.self, encode(withFeatures, version: 2), version: 2), ApiVersionsResponse())
    }

    /// Metadata v1+: a null topic list means "all topics", an empty one means "none".
    func testMetadataV1NullVersusEmptyTopics() throws {
        XCTAssertEqual(encode(MetadataRequest(topics: nil), version: 1), bytes(hex: "ffffffff"))
        XCTAssertEqual(encode(MetadataRequest(topics: []), version: 1), bytes(hex: "00000000"))
        XCTAssertNil(try decode(MetadataRequest.self, bytes(hex: "ffffffff"), version: 1).topics)
        XCTAssertEqual(try decode(MetadataRequest.self, bytes(hex: "00000000"), version: 1).topics, [])
        let one = try decode(MetadataRequest.self, bytes(hex: "00000001 0002") + ascii("t1"), version: 1)
        XCTAssertEqual(one.topics, [MetadataRequest.Topic(name: "t1")])
        // v0 cannot say null: empty means all there, and a nil list is written as empty.
        XCTAssertEqual(encode(MetadataRequest(topics: nil), version: 0), bytes(hex: "00000000"))
        XCTAssertThrowsError(try decode(MetadataRequest.self, bytes(hex: "ffffffff"), version: 0))
        // v4 adds allowAutoTopicCreation; v8 the two authorized-operations flags; v9 is compact, with
        // a null list as 0 and an empty one as 1, and ends with a tag section.
        XCTAssertEqual(encode(MetadataRequest(topics: nil, allowAutoTopicCreation: false), version: 4), bytes(hex: "ffffffff 00"))
        XCTAssertEqual(encode(MetadataRequest(topics: nil), version: 9), bytes(hex: "00 01 00 00 00"))
        XCTAssertEqual(encode(MetadataRequest(topics: []), version: 9), bytes(hex: "01 01 00 00 00"))
        XCTAssertEqual(encode(MetadataRequest(topics: [.init(name: "t1")]), version: 9), bytes(hex: "02 03 7431 00 01 00 00 00"))
        XCTAssertEqual(encode(MetadataRequest(topics: [.init(topicId: WireUUID(high: 1, low: 2), name: nil)]), version: 10),
                       bytes(hex: "02 0000000000000001 0000000000000002 00 00 01 00 00 00"))
    }

    /// A flexible (v2) request header: int16 client id, then a tagged-field section whose unknown
    /// fields are skipped.
    func testFlexibleRequestHeaderV2() throws {
        let header = RequestHeader(apiKey: 3, apiVersion: 12, correlationId: 42, clientId: "client")
        let expected = bytes(hex: "0003 000c 0000002a 0006") + ascii("client") + [0x00]
        XCTAssertEqual(encode(header, version: 2), expected)
        var reader = ByteReader(expected)
        XCTAssertEqual(try RequestHeader(from: &reader), header)
        XCTAssertTrue(reader.isAtEnd)

        // A null client id and an unknown tagged field (tag 5, two bytes).
        let withTag = bytes(hex: "0003 000c 0000002a ffff 01 05 02 abcd")
        reader = ByteReader(withTag)
        XCTAssertEqual(try RequestHeader(from: &reader), RequestHeader(apiKey: 3, apiVersion: 12, correlationId: 42, clientId: nil))
        XCTAssertTrue(reader.isAtEnd)

        // The same key at a non-flexible version has no tag section.
        let v1 = bytes(hex: "0003 0008 0000002a 0006") + ascii("client")
        reader = ByteReader(v1)
        XCTAssertEqual(try RequestHeader(from: &reader), RequestHeader(apiKey: 3, apiVersion: 8, correlationId: 42, clientId: "client"))
        XCTAssertTrue(reader.isAtEnd)

        // A key without a schema is read as v1 so the caller can still answer.
        reader = ByteReader(bytes(hex: "03e7 0000 00000001 ffff"))
        XCTAssertEqual(try RequestHeader(from: &reader).apiKey, 999)
        XCTAssertTrue(reader.isAtEnd)
    }

    func testUnknownTaggedFieldsInBodiesAreSkipped() throws {
        // ApiVersions v3 request with an extra tag (7, three bytes) in its top-level section.
        let body = [0x02] + ascii("x") + [0x02] + ascii("1") + bytes(hex: "01 07 03 010203")
        XCTAssertEqual(try decode(ApiVersionsRequest.self, body, version: 3),
                       ApiVersionsRequest(clientSoftwareName: "x", clientSoftwareVersion: "1"))
        // Tags out of order are refused.
        let disordered = [0x02] + ascii("x") + [0x02] + ascii("1") + bytes(hex: "02 07 00 03 00")
        XCTAssertThrowsError(try decode(ApiVersionsRequest.self, disordered, version: 3))
    }

    func testFetchV12TaggedPartitionFields() throws {
        var partition = FetchResponse.Topic.Partition(partitionIndex: 0, highWatermark: 10, records: .bytes([]))
        let plain = FetchResponse(responses: [.init(topic: "t", partitions: [partition])])
        partition.currentLeader = .init(leaderId: 2, leaderEpoch: 7)
        let tagged = FetchResponse(responses: [.init(topic: "t", partitions: [partition])])
        let plainBytes = encode(plain, version: 12)
        let taggedBytes = encode(tagged, version: 12)
        // Tag 1 with a 9-byte value: leaderId, leaderEpoch, empty tag section.
        XCTAssertEqual(taggedBytes.count, plainBytes.count + 1 + 1 + 9)
        XCTAssertEqual(try decode(FetchResponse.self, taggedBytes, version: 12), tagged)
        XCTAssertEqual(try decode(FetchResponse.self, plainBytes, version: 12), plain)
    }

    // MARK: Records

    func testRecordsFieldDecodesAsBytes() throws {
        let produce = ProduceRequest(acks: -1, timeoutMs: 30_000, topicData: [
            .init(name: "t", partitionData: [.init(index: 0, records: .bytes([1, 2, 3]))]),
        ])
        for version: Int16 in [3, 7, 9] {
            let decoded = try decode(ProduceRequest.self, encode(produce, version: version), version: version)
            XCTAssertEqual(decoded.topicData.first?.partitionData.first?.records, .bytes([1, 2, 3]))
        }
        let nullRecords = ProduceRequest(topicData: [.init(name: "t", partitionData: [.init(index: 0, records: nil)])])
        XCTAssertNil(try decode(ProduceRequest.self, encode(nullRecords, version: 7), version: 7).topicData[0].partitionData[0].records)
    }

    func testExternalRecordsLeaveASplicePoint() throws {
        let partition = FetchResponse.Topic.Partition(partitionIndex: 0, records: .external(FileRange(byteCount: 1000)))
        let response = FetchResponse(responses: [.init(topic: "t", partitions: [partition])])
        for (version, prefix) in [(Int16(11), bytes(hex: "000003e8")), (Int16(12), bytes(hex: "e907"))] {
            var writer = ByteWriter()
            response.encode(into: &writer, version: version)
            XCTAssertEqual(writer.splices.count, 1)
            let position = try XCTUnwrap(writer.splices.first?.position)
            XCTAssertEqual(writer.splices.first?.source.byteCount, 1000)
            XCTAssertEqual(Array(writer.bytes[(position - prefix.count)..<position]), prefix, "v\(version) length prefix")

            // Putting the bytes in place gives a response that decodes with those bytes.
            let content = [UInt8](repeating: 0xab, count: 1000)
            let whole = Array(writer.bytes[..<position]) + content + Array(writer.bytes[position...])
            let decoded = try decode(FetchResponse.self, whole, version: version)
            XCTAssertEqual(decoded.responses[0].partitions[0].records, .bytes(content))
        }
        XCTAssertNotEqual(Records.external(FileRange(byteCount: 0)), Records.external(FileRange(byteCount: 0)))
        XCTAssertEqual(Records.bytes([1]), Records.bytes([1]))
    }

    // MARK: Bad input

    /// Every strict prefix of every encoded request and response fails with a WireError.
    func testEveryTruncationThrows() throws {
        var prefixes = 0
        for key in ApiKey.allCases {
            for version in key.validVersions {
                let request = encodeRequest(KafkaRequest.sample(key, version: version), version: version)
                for cut in 0..<request.count {
                    var reader = ByteReader(Array(request[..<cut]))
                    XCTAssertThrowsError(try KafkaRequest(apiKey: key, version: version, from: &reader),
                                         "\(key.name) request v\(version) cut at \(cut)") { XCTAssertTrue($0 is WireError) }
                    prefixes += 1
                }
                let response = encodeResponse(KafkaResponse.sample(key, version: version), version: version)
                for cut in 0..<response.count {
                    var reader = ByteReader(Array(response[..<cut]))
                    XCTAssertThrowsError(try KafkaResponse(apiKey: key, version: version, from: &reader),
                                         "\(key.name) response v\(version) cut at \(cut)") { XCTAssertTrue($0 is WireError) }
                    prefixes += 1
                }
            }
        }
        XCTAssertGreaterThan(prefixes, 10_000)
        // Headers too.
        let header = encode(RequestHeader(apiKey: 18, apiVersion: 3, correlationId: 1, clientId: "rdkafka"), version: 2)
        for cut in 0..<header.count {
            var reader = ByteReader(Array(header[..<cut]))
            XCTAssertThrowsError(try RequestHeader(from: &reader))
        }
    }

    /// A count of 0x7fffffff is compared with the bytes left before any element is allocated.
    func testHostileArrayCountsThrowBeforeAllocating() {
        // Metadata v1 topics: classic int32 count.
        XCTAssertThrowsError(try decode(MetadataRequest.self, bytes(hex: "7fffffff 0001 61"), version: 1)) { error in
            guard case .truncated(let what, let needed, let remaining)? = error as? WireError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(what, "MetadataRequest.topics")
            XCTAssertGreaterThanOrEqual(needed, 0x7fff_ffff)
            XCTAssertEqual(remaining, 3)
        }
        // Metadata v9: compact count 0x7fffffff (uvarint of count+1 = 0x80000000).
        XCTAssertThrowsError(try decode(MetadataRequest.self, bytes(hex: "8080808008 00 00 00"), version: 9)) { error in
            guard case .truncated? = error as? WireError else { return XCTFail("unexpected \(error)") }
        }
        // Produce v7: a partition array of 0x7fffffff elements inside one topic.
        let produce = bytes(hex: "ffff ffff 00007530 00000001 0001") + ascii("t") + bytes(hex: "7fffffff")
        XCTAssertThrowsError(try decode(ProduceRequest.self, produce, version: 7)) { error in
            guard case .truncated(let what, _, _)? = error as? WireError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(what, "ProduceRequest.Topic.partitionData")
        }
        // Primitive arrays (replica lists) and negative counts.
        XCTAssertThrowsError(try decode(DescribeGroupsRequest.self, bytes(hex: "7fffffff"), version: 0))
        XCTAssertThrowsError(try decode(DescribeGroupsRequest.self, bytes(hex: "80000000"), version: 0))
        XCTAssertThrowsError(try decode(DescribeGroupsRequest.self, bytes(hex: "fffffffe"), version: 0))
    }

    func testHostileLengthsThrow() {
        // A string claiming 0x7fff bytes, a bytes field claiming 0x7fffffff, records claiming 2^31-1.
        XCTAssertThrowsError(try decode(HeartbeatRequest.self, bytes(hex: "7fff 61"), version: 0))
        let join = bytes(hex: "0001 67 00007530 0000 0008") + ascii("consumer") + bytes(hex: "00000001 0005") + ascii("range")
            + bytes(hex: "7fffffff 00")
        XCTAssertThrowsError(try decode(JoinGroupRequest.self, join, version: 0)) { error in
            guard case .truncated(let what, _, _)? = error as? WireError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(what, "JoinGroupRequest.GroupProtocol.metadata")
        }
        let produce = bytes(hex: "ffff ffff 00007530 00000001 0001") + ascii("t") + bytes(hex: "00000001 00000000 7fffffff 00")
        XCTAssertThrowsError(try decode(ProduceRequest.self, produce, version: 7))
        // A non-nullable string sent as null.
        XCTAssertThrowsError(try decode(HeartbeatRequest.self, bytes(hex: "ffff"), version: 0))
        // A varint that never ends.
        XCTAssertThrowsError(try decode(MetadataRequest.self, bytes(hex: "ffffffffffffff"), version: 9))
        // Invalid UTF-8 in a string.
        XCTAssertThrowsError(try decode(HeartbeatRequest.self, bytes(hex: "0001 ff 00000001 0000"), version: 0))
    }

    func testVersionsOutsideTheSchemaAreRefusedByTheDispatcher() {
        var reader = ByteReader([])
        XCTAssertThrowsError(try KafkaRequest(apiKey: .apiVersions, version: 5, from: &reader))
        XCTAssertThrowsError(try KafkaRequest(apiKey: .metadata, version: -1, from: &reader))
    }

    // MARK: Captured frames

    /// A captured frame file: raw bytes, or hex text (whitespace ignored). A leading int32 size
    /// equal to the rest of the file is dropped.
    private func frameBody(_ data: Data) -> [UInt8] {
        var raw = [UInt8](data)
        if let text = String(data: data, encoding: .utf8), !text.isEmpty,
           text.allSatisfy({ $0.isHexDigit || $0.isWhitespace }) {
            raw = bytes(hex: text)
        }
        if raw.count >= 4 {
            let size = raw[0..<4].reduce(0) { ($0 << 8) | Int($1) }
            if size == raw.count - 4 { raw.removeFirst(4) }
        }
        return raw
    }

    /// Real request frames dropped under Fixtures/requests/ (one frame per file) must decode
    /// completely, and re-encode to an equal value (to the same bytes in non-flexible versions,
    /// where no unknown tagged fields can have been dropped).
    func testCapturedRequestFramesDecode() throws {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw XCTSkip("no Fixtures folder in the test bundle")
        }
        let folder = base.appendingPathComponent("requests")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") && !$0.hasSuffix(".txt") && !$0.hasSuffix(".json") }.sorted()
        guard !names.isEmpty else { throw XCTSkip("no captured request frames under Fixtures/requests") }
        var decoded = 0
        for name in names {
            let frame = frameBody(try Data(contentsOf: folder.appendingPathComponent(name)))
            guard !frame.isEmpty else { continue }
            var reader = ByteReader(frame)
            let header: RequestHeader
            do {
                header = try RequestHeader(from: &reader)
            } catch {
                XCTFail("\(name): header: \(error)")
                continue
            }
            guard let key = ApiKey(rawValue: header.apiKey), key.validVersions.contains(header.apiVersion) else {
                continue
            }
            let bodyStart = reader.position
            do {
                let body = try KafkaRequest(apiKey: key, version: header.apiVersion, from: &reader)
                XCTAssertTrue(reader.isAtEnd, "\(name): \(reader.remaining) bytes left after \(key.name) v\(header.apiVersion)")
                var writer = ByteWriter()
                body.encode(into: &writer, version: header.apiVersion)
                var again = ByteReader(writer.bytes)
                XCTAssertEqual(try KafkaRequest(apiKey: key, version: header.apiVersion, from: &again), body, name)
                if !key.isFlexible(header.apiVersion) {
                    XCTAssertEqual(writer.bytes, Array(frame[bodyStart...]), "\(name) re-encodes differently")
                }
                decoded += 1
            } catch {
                XCTFail("\(name): \(key.name) v\(header.apiVersion): \(error)")
            }
        }
        XCTAssertGreaterThan(decoded, 0)
    }
}
