"""Local stand-in for Twilio: drives the IVR as Twilio would for scripted calls."""
