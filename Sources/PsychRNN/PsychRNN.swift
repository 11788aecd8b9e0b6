import Linear
