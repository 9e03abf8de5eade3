"""The managers' console: signed in with Google, the service's figures, its tickets, assets,
reports and agreements, for managers and department heads."""
