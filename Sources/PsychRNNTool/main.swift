print("psychrnn")
