// `loss_function: my_loss` and `custom_regularization: my_reg`: language functions as the
// library's seams (`CustomLoss`, `CustomRegularization` in PsychRNN), their gradients from the
// tape. The library calls them from training, on the thread that runs `train`, which is the
// interpreter's one thread; an error inside stops training at its source location.
//
//   def my_loss(predictions, y, output_mask) { … }    predictions, y, output_mask: (B, S, N_out)
//   def my_reg(net, states) { … }                      net.W_in, net.W_rec, net.W_out (effective),
//                                                      net.b_rec, net.b_out, net.init_state;
//                                                      states: (B, S, N_rec)

import Linear
import PsychRNN

enum UserObjectives {
  /// `f` as a loss: (predictions, y, output_mask) → one number, differentiated in predictions.
  static func loss(_ f: FunctionValue, at: SourceLocation, session: Session) throws -> CustomLoss {
    guard f.parameterNames.count == 3 else {
      throw RuntimeError(
        "loss_function \(f.name) must take (predictions, y, output_mask), like PsychRNN's; it takes \(f.parameterNames.count) parameter\(f.parameterNames.count == 1 ? "" : "s")",
        at: at, length: f.name.count)
    }
    let box = WeakSessionBox(session)
    let context = "loss_function \(f.name)"
    return CustomLoss(name: f.name) { z, y, m, shape, needsGradient in
      guard let session = box.session else { throw RuntimeError("\(context): its session has ended", at: at) }
      let predictions = ArrayValue(shape: shape, values: z)
      let targets = ArrayValue(shape: shape, values: y), mask = ArrayValue(shape: shape, values: m)
      let (value, gradients) = try session.differentiate(
        f, inputs: [predictions], gradient: needsGradient, context: context, at: at
      ) { tracked in [.array(tracked[0]), .array(targets), .array(mask)] }
      return (value, needsGradient ? gradients[0].values : nil)
    }
  }

  /// `f` as a regularization term: (net, states) → one number, differentiated in the effective
  /// weights, biases, initial state and states.
  static func regularization(_ f: FunctionValue, at: SourceLocation, session: Session) throws -> CustomRegularization {
    guard f.parameterNames.count == 2 else {
      throw RuntimeError(
        "custom_regularization \(f.name) must take (net, states); it takes \(f.parameterNames.count) parameter\(f.parameterNames.count == 1 ? "" : "s")",
        at: at, length: f.name.count)
    }
    let box = WeakSessionBox(session)
    let context = "custom_regularization \(f.name)"
    return CustomRegularization(name: f.name) { x, needsGradient in
      guard let session = box.session else { throw RuntimeError("\(context): its session has ended", at: at) }
      let inputs = [
        ArrayValue(x.W_in), ArrayValue(x.W_rec), ArrayValue(x.W_out), ArrayValue(vector: x.b_rec),
        ArrayValue(vector: x.b_out), ArrayValue(vector: x.init_state), ArrayValue(shape: x.statesShape, values: x.states),
      ]
      let (value, g) = try session.differentiate(f, inputs: inputs, gradient: needsGradient, context: context, at: at) {
        t in
        let net = Record(
          kind: "network (effective weights)",
          fields: [
            ("W_in", .array(t[0])), ("W_rec", .array(t[1])), ("W_out", .array(t[2])), ("b_rec", .array(t[3])),
            ("b_out", .array(t[4])), ("init_state", .array(t[5])), ("N_in", .number(Double(x.W_in.cols))),
            ("N_rec", .number(Double(x.W_rec.rows))), ("N_out", .number(Double(x.W_out.rows))),
          ])
        return [.record(net), .array(t[6])]
      }
      guard needsGradient else { return (value, nil) }
      func matrix(_ a: ArrayValue, like m: Matrix<Double>) -> Matrix<Double> {
        Matrix(rows: m.rows, cols: m.cols, storage: a.values)
      }
      return (
        value,
        RegularizationGradients(
          W_in: matrix(g[0], like: x.W_in), W_rec: matrix(g[1], like: x.W_rec), W_out: matrix(g[2], like: x.W_out),
          b_rec: g[3].values, b_out: g[4].values, init_state: g[5].values, states: g[6].values)
      )
    }
  }
}
