import SluiceCrypto
import Foundation
import SluiceMeta
import XCTest
@testable import SluiceBroker

/// SCRAM as RFC 5802 and RFC 7677 define it, checked against RFC 7677's published exchange, and
/// the ways a client can get it wrong.
final class ScramTests: XCTestCase {
    // RFC 7677 section 3: user "user", password "pencil".
    private let salt = Array(Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")!)
    private let serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    private let clientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    private let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="

    private func credential(_ password: String = "pencil") -> ScramCredential {
        ScramCredential.derive(.sha256, saltedPassword: ScramMechanism.sha256.saltedPassword(password, salt: salt, iterations: 4096),
                               salt: salt, iterations: 4096)
    }

    private func exchange(_ credential: ScramCredential?) -> ScramServerExchange {
        ScramServerExchange(mechanism: .sha256, serverNonce: serverNonce) { user, mechanism in
            user == "user" && mechanism == .sha256 ? credential : nil
        }
    }

    func testTheRFC7677ExchangeAuthenticates() {
        var server = exchange(credential())
        XCTAssertEqual(server.step(Array(clientFirst.utf8)),
                       .challenge(Array("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8)))
        XCTAssertEqual(server.step(Array(clientFinal.utf8)),
                       .authenticated(user: "user", reply: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8)))
        guard case .failed = server.step(Array(clientFinal.utf8)) else { return XCTFail("a message after the end must fail") }
    }

    func testAWrongPasswordOrAnUnknownUserFails() {
        var wrong = exchange(credential("not pencil"))
        _ = wrong.step(Array(clientFirst.utf8))
        guard case let .failed(reason, user) = wrong.step(Array(clientFinal.utf8)) else { return XCTFail("wrong password accepted") }
        XCTAssertEqual(reason, "wrong password")
        XCTAssertEqual(user, "user")
        // An unknown user is challenged like a known one (the same salt every time) and fails at the proof.
        var unknown = exchange(nil)
        guard case let .challenge(first) = unknown.step(Array(clientFirst.utf8)) else { return XCTFail("unknown user refused at once") }
        var again = exchange(nil)
        XCTAssertEqual(again.step(Array(clientFirst.utf8)), .challenge(first))
        guard case let .failed(reason, _) = unknown.step(Array(clientFinal.utf8)) else { return XCTFail("unknown user authenticated") }
        XCTAssertEqual(reason, "no SCRAM-SHA-256 credential")
    }

    func testMalformedAndHostileMessagesFailWithoutTrapping() {
        let firsts = ["", "n,,", "p=tls-server-end-point,,n=user,r=abc", "n,,n=,r=abc", "n,,n=user", "n,,n=us=zzer,r=abc",
                      "n,,n=user,r=abc,tokenauth=true", "n,a=other,n=user,r=abc", "n,,r=abc,n=user", String(repeating: "n,", count: 10_000)]
        for message in firsts {
            var server = exchange(credential())
            guard case .failed = server.step(Array(message.utf8)) else { return XCTFail("accepted client-first \(message.prefix(40))") }
        }
        var binary = exchange(credential())
        XCTAssertEqual(binary.step([0xFF, 0xFE]), ScramServerExchange.Outcome.failed(reason: "message is not UTF-8", user: nil))
        let finals = ["", "c=biws", "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=!!!", "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA"]
        for message in finals {
            var server = exchange(credential())
            _ = server.step(Array(clientFirst.utf8))
            guard case .failed = server.step(Array(message.utf8)) else { return XCTFail("accepted client-final \(message)") }
        }
    }

    func testAnAuthorizationIdEqualToTheUserIsAccepted() {
        var server = exchange(credential())
        guard case .challenge = server.step(Array("n,a=user,n=user,r=abc".utf8)) else { return XCTFail("a=user refused") }
    }

    func testEscapedNames() {
        XCTAssertEqual(ScramServerExchange.unescape("a=2Cb=3Dc"), "a,b=c")
        XCTAssertNil(ScramServerExchange.unescape("a=2"))
        XCTAssertNil(ScramServerExchange.unescape("a=41"))
    }

    func testPlainChecksThePasswordAgainstTheScramCredential() {
        let stored = ScramCredential.make(.sha512, password: "s3cret", iterations: 4096)
        let lookup: (String, ScramMechanism) -> ScramCredential? = { user, mechanism in user == "alice" && mechanism == .sha512 ? stored : nil }
        XCTAssertEqual(try? PlainAuthentication.verify(Array("\0alice\0s3cret".utf8), lookup: lookup).get(), "alice")
        XCTAssertEqual(try? PlainAuthentication.verify(Array("alice\0alice\0s3cret".utf8), lookup: lookup).get(), "alice")
        for message in ["\0alice\0wrong", "\0bob\0s3cret", "bob\0alice\0s3cret", "alice s3cret", "\0\0s3cret"] {
            XCTAssertNil(try? PlainAuthentication.verify(Array(message.utf8), lookup: lookup).get(), message)
        }
    }
}
