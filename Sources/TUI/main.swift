print("chat-tui")
