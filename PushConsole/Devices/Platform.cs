namespace PushConsole.Devices;

// TEMPORARY until issue 3 lands its Installation model
public enum Platform { Android = 0, Ios = 1, Web = 2 }
