// VeectorEngine — model formats first (issue 6).
