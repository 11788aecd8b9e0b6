# Writes NeuroGym's own trials for the tests of Task(x:, y:, mask:): 400 trials of NeuroGym's
# PerceptualDecisionMaking-v0 (dt 100 ms), each trial's observations and ground truth exactly as
# NeuroGym's environment produced them (env.new_trial(), then env.ob and env.gt), stacked.
#   pip install neurogym==2.3.1   (it pins numpy 2.2; reinstall numpy 2.4.6 afterwards for the tests)
#   python3 Tests/Fixtures/neurogym/make_fixture.py
import numpy as np, neurogym as ngym, os
env = ngym.make('PerceptualDecisionMaking-v0', dt=100)
env.reset(seed=0)
obs, gts = [], []
for _ in range(400):
    env.new_trial()
    obs.append(env.ob.astype(np.float32))
    gts.append(env.gt.astype(np.int64))
here = os.path.dirname(os.path.abspath(__file__))
np.save(os.path.join(here, 'pdm_ob.npy'), np.stack(obs))
np.save(os.path.join(here, 'pdm_gt.npy'), np.stack(gts))
print(np.stack(obs).shape, np.stack(gts).shape, ngym.__version__)
