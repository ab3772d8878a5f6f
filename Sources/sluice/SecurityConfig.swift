import Foundation
import SluiceClient
import SluiceCommandLine
import SluiceIO

/// `--command-config FILE`: how to reach a secured cluster, in Kafka's client property names
/// (and librdkafka's, so a kcat `-F` file works too).
enum SecurityConfig {
    static let keys: Set<String> = [
        "security.protocol", "ssl.truststore.location", "ssl.ca.location", "ssl.truststore.type", "ssl.keystore.location",
        "ssl.keystore.type", "ssl.certificate.location", "ssl.key.location", "ssl.key.password", "sasl.mechanism",
        "sasl.mechanisms", "sasl.username", "sasl.password", "sasl.jaas.config",
    ]

    /// Applies the file's settings to `connection`, or says which line is wrong and why.
    static func apply(file path: String, to connection: inout ConnectionConfig) throws(UsageError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw UsageError("cannot read --command-config \(path)", fix: "give a readable properties file (key=value lines)")
        }
        var values: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw UsageError("\(path) line \(number + 1) is not key=value", fix: "e.g. security.protocol=SASL_SSL")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard keys.contains(key) else {
                throw UsageError("\(path) line \(number + 1): unknown key \(key)", fix: "known keys: \(keys.sorted().joined(separator: ", "))")
            }
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        let proto = (values["security.protocol"] ?? "PLAINTEXT").uppercased()
        guard ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].contains(proto) else {
            throw UsageError("\(path): security.protocol \(proto) is not PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
        }
        if proto.hasSuffix("SSL") { connection.tls = try tlsContext(values, path) }
        if proto.hasPrefix("SASL") { connection.sasl = try credentials(values, path) }
    }

    private static func tlsContext(_ values: [String: String], _ path: String) throws(UsageError) -> TLSContext {
        guard let trusted = values["ssl.truststore.location"] ?? values["ssl.ca.location"] else {
            throw UsageError("\(path): SSL needs ssl.truststore.location (PEM certificates of the cluster's authority)")
        }
        let chain = values["ssl.certificate.location"] ?? values["ssl.keystore.location"]
        let key = values["ssl.key.location"] ?? values["ssl.keystore.location"]
        do {
            return try TLSContext(clientTrusting: trusted, certificateChain: chain, privateKey: key, keyPassword: values["ssl.key.password"])
        } catch {
            throw UsageError("\(path): \(error.description)")
        }
    }

    private static func credentials(_ values: [String: String], _ path: String) throws(UsageError) -> SASLCredentials {
        let mechanism = (values["sasl.mechanism"] ?? values["sasl.mechanisms"] ?? "SCRAM-SHA-512").uppercased()
        guard ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"].contains(mechanism) else {
            throw UsageError("\(path): sasl.mechanism \(mechanism) is not SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN")
        }
        var user = values["sasl.username"]
        var password = values["sasl.password"]
        if let jaas = values["sasl.jaas.config"] {
            user = user ?? quoted("username", in: jaas)
            password = password ?? quoted("password", in: jaas)
        }
        guard let user, let password else {
            throw UsageError("\(path): SASL needs sasl.username and sasl.password (or sasl.jaas.config with username=\"...\" password=\"...\")")
        }
        return SASLCredentials(mechanism: mechanism, username: user, password: password)
    }

    /// `name="value"` inside a JAAS line.
    private static func quoted(_ name: String, in jaas: String) -> String? {
        guard let start = jaas.range(of: name + "=\"") else { return nil }
        let rest = jaas[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
