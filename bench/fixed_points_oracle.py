"""Compare our fixed points with FixedPointFinder's (Golub & Sussillo 2018, its PyTorch version) on the
same weights, constant input and starting states.

    python3 bench/fixed_points_oracle.py FFF_DIR WEIGHTS.npz STARTS.npy OURS.npz --input 0,0

FFF_DIR is a checkout of github.com/mattgolub/fixed-point-finder (nothing of it is copied here: it is
imported from there). OURS.npz is what `psychrnn-bench --fixed-points ... --out OURS.npz` found.
The network is PsychRNN's Basic RNN, written here as a one-step torch module with the interface
FixedPointFinder expects (nn.RNN's: output, h_n = rnn(input, h_0)):

    x' = (1 - alpha) x + alpha (W_rec relu(x) + W_in u + b_rec),  alpha = dt / tau.

Prints one JSON line: counts, the largest distance from each of our true fixed points to its nearest
FixedPointFinder point, the largest eigenvalue difference there, and both timings.
"""
import argparse, json, sys, time

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument('fff'); p.add_argument('weights'); p.add_argument('starts'); p.add_argument('ours')
    p.add_argument('--input', default='0,0'); p.add_argument('--dt', type=float, default=10)
    p.add_argument('--tau', type=float, default=100); p.add_argument('--max-iters', type=int, default=20000)
    a = p.parse_args()
    sys.path.insert(0, a.fff)
    from FixedPointFinderTorch import FixedPointFinderTorch

    w = np.load(a.weights, allow_pickle=True)
    alpha = a.dt / a.tau
    u = np.array([float(v) for v in a.input.split(',')])

    class BasicStep(torch.nn.Module):
        batch_first = True

        def __init__(self):
            super().__init__()
            self.W_rec = torch.nn.Parameter(torch.tensor(w['W_rec'], dtype=torch.float32))
            self.W_in = torch.nn.Parameter(torch.tensor(w['W_in'], dtype=torch.float32))
            self.b_rec = torch.nn.Parameter(torch.tensor(w['b_rec'].reshape(-1), dtype=torch.float32))

        def forward(self, inputs, h0):           # inputs (B, 1, N_in), h0 (1, B, N)
            x = h0[0]
            nxt = (1 - alpha) * x + alpha * (torch.relu(x) @ self.W_rec.T + inputs[:, 0, :] @ self.W_in.T + self.b_rec)
            return nxt[:, None, :], nxt[None, :, :]

    starts = np.load(a.starts).astype(np.float32)
    fpf = FixedPointFinderTorch(BasicStep(), tol_q=1e-12, max_iters=a.max_iters, verbose=False, super_verbose=False)
    t0 = time.perf_counter()
    unique, _ = fpf.find_fixed_points(starts, u[None, :].astype(np.float32))
    fff_seconds = time.perf_counter() - t0

    ours = np.load(a.ours)
    fixed = ours['fixed'] == 1
    theirs_x = unique.xstar.astype(np.float64)
    theirs_eig = unique.eigval_J_xstar
    def key(z): return (-abs(z), -z.real, -z.imag)
    worst_distance, worst_eig = 0.0, 0.0
    for x, re, im in zip(ours['xstar'][fixed], ours['eig_real'][fixed], ours['eig_imag'][fixed]):
        d = np.linalg.norm(theirs_x - x, axis=1)
        j = int(np.argmin(d))
        worst_distance = max(worst_distance, float(d[j]))
        theirs = np.array(sorted(theirs_eig[j], key=key))
        worst_eig = max(worst_eig, float(np.max(np.abs(theirs - (re + 1j * im)))))
    q = unique.qstar
    print(json.dumps({
        'input': u.tolist(), 'starts': int(starts.shape[0]), 'n_rec': int(starts.shape[1]),
        'ours_fixed': int(fixed.sum()), 'ours_slow': int((~fixed).sum()),
        'fff_unique': int(unique.n), 'fff_q_below_1e-8': int((q < 1e-8).sum()),
        'fff_q_range': [float(q.min()), float(q.max())] if unique.n else None,
        'max_distance_to_fff': worst_distance, 'max_eigenvalue_difference': worst_eig,
        'fff_seconds': fff_seconds, 'ours_seconds': float(ours['seconds']),
        'ours_whole_call_seconds': float(ours['whole_seconds']),
        'speedup': fff_seconds / float(ours['seconds']),
        'speedup_whole_call': fff_seconds / float(ours['whole_seconds']),
    }))


if __name__ == '__main__':
    main()
