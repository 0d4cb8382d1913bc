print("call-booking")
