print("chat-bench")
