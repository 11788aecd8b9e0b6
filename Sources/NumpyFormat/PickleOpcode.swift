// The Python pickle opcodes (protocols 2 to 5) that the scanner and the writer know by name.
// Values are from Python's pickletools documentation.

enum PickleOpcode: UInt8 {
  // Framing and control
  case proto = 0x80  // PROTO n: protocol version (1 byte)
  case frame = 0x95  // FRAME n: 8-byte frame length, a hint only
  case stop = 0x2E  // "." end of pickle
  case mark = 0x28  // "(" push a mark
  case pop = 0x30  // "0"
  case popMark = 0x31  // "1" discard the stack down to the last mark
  case dup = 0x32  // "2"

  // Constants and numbers
  case none = 0x4E  // "N"
  case newTrue = 0x88
  case newFalse = 0x89
  case binInt = 0x4A  // "J" 4-byte signed
  case binInt1 = 0x4B  // "K" 1-byte unsigned
  case binInt2 = 0x4D  // "M" 2-byte unsigned
  case long1 = 0x8A  // 1-byte length, then a little-endian two's-complement integer
  case long4 = 0x8B  // 4-byte length, then the integer
  case binFloat = 0x47  // "G" 8-byte big-endian IEEE double

  // Strings and bytes
  case shortBinUnicode = 0x8C  // 1-byte length, UTF-8
  case binUnicode = 0x58  // "X" 4-byte length, UTF-8
  case binUnicode8 = 0x8D  // 8-byte length, UTF-8
  case shortBinString = 0x55  // "U" 1-byte length (Python 2 str)
  case binString = 0x54  // "T" 4-byte length (Python 2 str)
  case shortBinBytes = 0x43  // "C" 1-byte length
  case binBytes = 0x42  // "B" 4-byte length
  case binBytes8 = 0x8E  // 8-byte length
  case byteArray8 = 0x96  // 8-byte length

  // Containers
  case emptyTuple = 0x29  // ")"
  case tuple = 0x74  // "t" everything down to the mark
  case tuple1 = 0x85
  case tuple2 = 0x86
  case tuple3 = 0x87
  case emptyList = 0x5D  // "]"
  case list = 0x6C  // "l" everything down to the mark
  case append = 0x61  // "a"
  case appends = 0x65  // "e" everything down to the mark
  case emptyDict = 0x7D  // "}"
  case dict = 0x64  // "d"
  case setItem = 0x73  // "s"
  case setItems = 0x75  // "u"
  case emptySet = 0x8F
  case addItems = 0x90
  case frozenSet = 0x91

  // Memo
  case memoize = 0x94
  case binPut = 0x71  // "q" 1-byte index
  case longBinPut = 0x72  // "r" 4-byte index
  case binGet = 0x68  // "h" 1-byte index
  case longBinGet = 0x6A  // "j" 4-byte index

  // Objects
  case global = 0x63  // "c" module "\n" name "\n"
  case stackGlobal = 0x93  // module and name from the stack
  case reduce = 0x52  // "R" callable(*args)
  case build = 0x62  // "b" obj.__setstate__(state)
  case newObj = 0x81  // cls.__new__(cls, *args)
  case newObjEx = 0x92  // cls.__new__(cls, *args, **kwargs)
  case obj = 0x6F  // "o"
}
