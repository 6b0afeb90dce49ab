"""`broadsheet deploy`: publish the output of a successful build to S3, a git branch or rsync.

Every target has the same small interface, so the command line does not care which it talks to:

    with connect(target, site, title) as deployer:   # deploy.targets; deploy.base is the interface
        plan = deployer.plan(delete=False)        # looks at the target, changes nothing
        deployer.apply(plan)                      # uploads, then deletes; returns what it did

`site` comes from `deploy.local.load_site`, which refuses an output folder whose build did not
succeed or that changed since.
"""
