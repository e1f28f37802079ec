[assembly: AssemblyFixture(typeof(Telephony.TestSupport.TestDatabase))]
