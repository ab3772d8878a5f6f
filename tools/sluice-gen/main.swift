import Foundation

// sluice-gen: turns the wire schemas in proto/kafka/*.json (Kafka APIs) and proto/internal/*.json
// (one-way inter-node APIs, generated under OUT_DIR/Internal/) into Swift codecs.
//
//   sluice-gen PROTO_DIR OUT_DIR SAMPLES_DIR           regenerate both (removes stale generated files)
//   sluice-gen --check PROTO_DIR OUT_DIR SAMPLES_DIR   exit 1, naming each file that differs, if either is stale
//
// The codecs go to OUT_DIR (the library); the sample values the codec tests use go to SAMPLES_DIR
// (the test target), so no test-only code is compiled into the library.
//
// PROTO_DIR is the folder holding kafka/ and internal/ (e.g. `proto`). Output is deterministic: the same
// schemas always give byte-identical files.

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data(("sluice-gen: " + message + "\n").utf8))
    exit(code)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.first == "--check"
if check { arguments.removeFirst() }
guard arguments.count == 3 else {
    fail("usage: sluice-gen [--check] PROTO_DIR OUT_DIR SAMPLES_DIR   (e.g. sluice-gen proto Sources/SluiceWire/Generated Tests/SluiceWireTests/Generated)", code: 2)
}
let protoRoot = URL(fileURLWithPath: arguments[0])
let codecDir = URL(fileURLWithPath: arguments[1])
let samplesDir = URL(fileURLWithPath: arguments[2])
let fm = FileManager.default

let generated: [(name: String, contents: String)]
do {
    var keys = Set<Int>()
    var schemas = try loadSchemas(directory: protoRoot.appendingPathComponent("kafka"), isInternal: false, keys: &keys)
    let internalDir = protoRoot.appendingPathComponent("internal")
    if fm.fileExists(atPath: internalDir.path) {
        schemas += try loadSchemas(directory: internalDir, isInternal: true, keys: &keys)
    }
    generated = try generateFiles(schemas)
} catch let error as GenError {
    fail(error.description, code: 2)
} catch {
    fail("\(error)", code: 2)
}

/// Generated files already in OUT_DIR or one folder below it (those starting with the generated
/// header), as paths relative to OUT_DIR.
func existingGeneratedFiles(in outDir: URL) -> [String] {
    guard let top = try? fm.contentsOfDirectory(atPath: outDir.path) else { return [] }
    var names: [String] = []
    for name in top {
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: outDir.appendingPathComponent(name).path, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
            let inner = (try? fm.contentsOfDirectory(atPath: outDir.appendingPathComponent(name).path)) ?? []
            names += inner.map { "\(name)/\($0)" }
        } else {
            names.append(name)
        }
    }
    return names.filter { name in
        guard name.hasSuffix(".swift"), let text = try? String(contentsOf: outDir.appendingPathComponent(name), encoding: .utf8) else {
            return false
        }
        return text.hasPrefix(generatedHeader)
    }.sorted()
}

/// Checks or writes `files` under `outDir`; false if a check found stale files.
@MainActor
func sync(_ files: [(name: String, contents: String)], into outDir: URL) -> Bool {
    let wanted = Set(files.map(\.name))
    if check {
        var stale: [String] = []
        for file in files {
            let path = outDir.appendingPathComponent(file.name)
            let current = try? String(contentsOf: path, encoding: .utf8)
            if current != file.contents { stale.append(current == nil ? "\(file.name) (missing)" : file.name) }
        }
        for name in existingGeneratedFiles(in: outDir) where !wanted.contains(name) { stale.append("\(name) (no longer generated)") }
        if !stale.isEmpty {
            for name in stale { print("sluice-gen: stale: \(outDir.path)/\(name)") }
            print("sluice-gen: generated code differs from proto/; run: swift run sluice-gen \(arguments.joined(separator: " "))")
            return false
        }
        print("sluice-gen: \(files.count) generated files in \(outDir.path) match proto/")
        return true
    } else {
        do {
            try fm.createDirectory(at: outDir, withIntermediateDirectories: true)
            var written = 0
            for file in files {
                let path = outDir.appendingPathComponent(file.name)
                if (try? String(contentsOf: path, encoding: .utf8)) == file.contents { continue }
                try fm.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: path, options: .atomic)
                written += 1
            }
            var removed = 0
            for name in existingGeneratedFiles(in: outDir) where !wanted.contains(name) {
                try fm.removeItem(at: outDir.appendingPathComponent(name))
                removed += 1
            }
            print("sluice-gen: \(files.count) files, \(written) written, \(removed) removed")
        } catch {
            fail("\(error)", code: 2)
        }
    }
    return true
}

// Samples go to the test target (flat), everything else to the library.
let isSample: ((name: String, contents: String)) -> Bool = { $0.name.hasSuffix("Samples.swift") }
let codecs = generated.filter { !isSample($0) }
let samples = generated.filter(isSample).map { (name: String($0.name.split(separator: "/").last ?? ""), contents: $0.contents) }
let fresh = [sync(codecs, into: codecDir), sync(samples, into: samplesDir)]
if fresh.contains(false) { exit(1) }
