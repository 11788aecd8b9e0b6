import Testing
@testable import PsychRNN
