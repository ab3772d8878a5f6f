import XCTest

/// SluiceRaft must stay a pure state machine: no Foundation, Glibc, Dispatch, clocks or threads.
/// Fails if any of its source files imports anything but SluiceCore.
final class ModuleBoundaryTests: XCTestCase {
    func testSluiceRaftImportsOnlySluiceCore() throws {
        // #filePath is .../Tests/SluiceRaftTests/ModuleBoundaryTests.swift.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let dir = parts.joined(separator: "/") + "/Sources/SluiceRaft"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty, "no sources found in \(dir)")
        for f in files {
            let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                let words = t.split(separator: " ").map(String.init)
                // `import X`, `@testable import X`, `@_exported import X`, `import struct X.Y`, ...
                guard let k = words.firstIndex(of: "import"), words[..<k].allSatisfy({ $0.hasPrefix("@") || $0 == "public" || $0 == "internal" || $0 == "private" || $0 == "fileprivate" }) else { continue }
                let module = words[(k + 1)...].last.map { String($0.split(separator: ".").first ?? "") } ?? ""
                XCTAssertEqual(module, "SluiceCore", "\(f) imports \(module): SluiceRaft may import only SluiceCore")
            }
            for banned in ["DispatchQueue", "Thread(", "Date()", "ContinuousClock", "SystemRandomNumberGenerator", " await ", "Task {"] {
                XCTAssertFalse(text.contains(banned), "\(f) uses \(banned)")
            }
        }
    }
}
