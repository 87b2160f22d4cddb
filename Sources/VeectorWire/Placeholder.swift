// VeectorWire — bencode and KRPC first (issue 3).
