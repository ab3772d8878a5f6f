import SluiceWire

extension KafkaBroker {
    /// Client software names and versions must look like `[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?`.
    static func isValidSoftwareLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func alphanumeric(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D || $0 == 0x2E }
    }

    static var advertisedRanges: [ApiVersionsResponse.ApiKeyRange] {
        advertisedVersions.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { .init(apiKey: $0.key.rawValue, minVersion: $0.value.lowerBound, maxVersion: $0.value.upperBound) }
    }

    func handleApiVersions(_ request: ApiVersionsRequest, _ context: RequestContext) {
        if context.version >= 3 && !(Self.isValidSoftwareLabel(request.clientSoftwareName) && Self.isValidSoftwareLabel(request.clientSoftwareVersion)) {
            return context.respond(.apiVersions(ApiVersionsResponse(errorCode: KafkaError.invalidRequest.code, apiKeys: [])))
        }
        context.respond(.apiVersions(ApiVersionsResponse(errorCode: 0, apiKeys: Self.advertisedRanges, throttleTimeMs: 0)))
    }

    /// KIP-511: an ApiVersions version we do not know gets a v0-layout body (header v0) with
    /// UNSUPPORTED_VERSION and our ApiVersions range, so the client retries with one we know.
    func respondUnsupportedApiVersions(_ context: RequestContext) {
        var writer = ByteWriter()
        writer.writeInt32(context.header.correlationId)
        let range = Self.advertisedVersions[.apiVersions] ?? 0...0
        ApiVersionsResponse(errorCode: KafkaError.unsupportedVersion.code,
                            apiKeys: [.init(apiKey: ApiKey.apiVersions.rawValue, minVersion: range.lowerBound, maxVersion: range.upperBound)])
            .encode(into: &writer, version: 0)
        context.complete(.bytes(writer.bytes))
    }
}
